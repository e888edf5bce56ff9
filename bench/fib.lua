-- fib — the Lua 5.4 equivalent of fib.lisp (same workload, same checksum 3524578).
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
print(fib(33))
