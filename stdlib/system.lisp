;;;; system.lisp — the System part of the library as CCL has it, where Lisp says it best:
;;;; TIME and its report, CONSTANTLY and COMPLEMENT, and modules (REQUIRE, PROVIDE, *MODULES*).

(defun constantly (value)
  "Return a function that always returns VALUE."
  (lambda (&rest arguments)
    (declare (ignore arguments))
    value))

(defun complement (function)
  "Return a new function that returns T whenever FUNCTION returns NIL and
   NIL whenever FUNCTION returns non-NIL."
  (let ((f (cond ((functionp function) function)
                 ((symbolp function) (fdefinition function))
                 (t (error 'type-error :datum function :expected-type '(or symbol function))))))
    (lambda (&rest arguments) (not (apply f arguments)))))

;;; TIME, as CCL's lib/misc.lisp reports it. Clove cannot count the bytes a form
;;; allocates, so that line (which CCL leaves out for zero) does not appear.

(export '(ccl::*report-time-function*) "CCL")

(defparameter ccl:*report-time-function* nil
  "If non-NULL, should be a function which accepts the following
   keyword arguments:
   :FORM              the form that was executed
   :RESULTS           a list of all values returned by the execution of FORM
   :ELAPSED-TIME      total elapsed (real) time, in internal-time-units-per-second
   :USER-TIME         elapsed user time, in internal-time-units-per-second
   :SYSTEM-TIME       elapsed system time, in internal-time-units-per-second
   :GC-TIME           total real time spent in the GC, in internal-time-units-per-second
   :BYTES-ALLOCATED   total bytes allocated
   :MINOR-PAGE-FAULTS minor page faults
   :MAJOR-PAGE-FAULTS major page faults
   :SWAPS             swaps")

(defun ccl::standard-report-time (&key form results elapsed-time user-time system-time gc-time
                                       bytes-allocated minor-page-faults major-page-faults swaps)
  (let* ((s *trace-output*)
         (units "microseconds")
         (iwidth (max (length (format nil "~:D" elapsed-time))
                      (length (format nil "~:D" user-time))
                      (length (format nil "~:D" system-time))
                      (length (format nil "~:D" gc-time))))
         (fwidth 6)
         (elapsed-seconds (/ elapsed-time internal-time-units-per-second))
         (user-seconds (/ user-time internal-time-units-per-second))
         (system-seconds (/ system-time internal-time-units-per-second))
         (gc-seconds (/ gc-time internal-time-units-per-second))
         (ffield-width (max (length (format nil "~,vF" fwidth elapsed-seconds))
                            (length (format nil "~,vF" fwidth user-seconds))
                            (length (format nil "~,vF" fwidth system-seconds))
                            (length (format nil "~,vF" fwidth gc-seconds))))
         (cpu-count (ccl:cpu-count)))
    (format s "~&~S" form)
    (format s "~&took ~v:D ~a (~v,vF seconds) to run." iwidth elapsed-time units ffield-width fwidth
            elapsed-seconds)
    (unless (eql gc-time 0)
      (format s "~%~5t~v:D ~a (~v,vF seconds, ~,2f%) of which was spent in GC." iwidth gc-time units
              ffield-width fwidth gc-seconds
              (if (zerop elapsed-seconds) 0.0 (* 100.0 (/ gc-seconds elapsed-seconds)))))
    (format s "~&During that period, and with ~D available CPU core~P," cpu-count cpu-count)
    (format s "~&~5t~v:D ~a (~v,vF seconds) were spent in user mode" iwidth user-time units ffield-width
            fwidth user-seconds)
    (format s "~&~5t~v:D ~a (~v,vF seconds) were spent in system mode" iwidth system-time units
            ffield-width fwidth system-seconds)
    (unless (eql 0 bytes-allocated)
      (format s "~% ~:D bytes of memory allocated." bytes-allocated))
    (when (or (> minor-page-faults 0) (> major-page-faults 0) (> swaps 0))
      (format s "~% ~:D minor page faults, ~:D major page faults, ~:D swaps." minor-page-faults
              major-page-faults swaps))
    (format s "~&")
    (values-list results)))

(defun ccl::report-time (form thunk)
  (multiple-value-bind (user-start system-start) (ccl::%internal-run-time)
    (multiple-value-bind (minor-start major-start swaps-start) (ccl::%page-fault-info)
      (let* ((initial-real-time (get-internal-real-time))
             (initial-gc-time (ccl:gctime))
             (results (multiple-value-list (funcall thunk))))
        (multiple-value-bind (user-end system-end) (ccl::%internal-run-time)
          (multiple-value-bind (minor-end major-end swaps-end) (ccl::%page-fault-info)
            (funcall (or ccl:*report-time-function* #'ccl::standard-report-time)
                     :form form
                     :results results
                     :elapsed-time (- (get-internal-real-time) initial-real-time)
                     :user-time (- user-end user-start)
                     :system-time (- system-end system-start)
                     :gc-time (- (ccl:gctime) initial-gc-time)
                     :bytes-allocated 0
                     :minor-page-faults (- minor-end minor-start)
                     :major-page-faults (- major-end major-start)
                     :swaps (- swaps-end swaps-start))))))))

(defmacro time (form)
  "Execute FORM and print timing information on *TRACE-OUTPUT*."
  `(ccl::report-time ',form #'(lambda () (progn ,form))))

;;; Modules, as CCL's level-1/l1-files.lisp: what Clove has built in is already provided.

(export '(ccl::*module-search-path* ccl::*module-provider-functions*) "CCL")

(defvar *modules* (list "SOCKETS" "LOOP" "FORMAT" "DEFSTRUCT" "SEQUENCES" "LISTS" "CHARS" "HASH" "STREAMS"
                        "NUMBERS" "BACKQUOTE" "LEVEL-2")
  "This is a list of module names that have been loaded into Lisp so far.
   It is used by PROVIDE and REQUIRE.")

(defparameter ccl:*module-search-path* nil
  "Directories REQUIRE searches for NAME.lisp (NAME in lower case) when a module is not yet provided.")

(defparameter ccl::*loading-modules* nil "Internal. Prevents circularity")

(defun ccl::find-module-pathnames (module)
  "Returns the file or list of files making up the module"
  (let ((name (string-downcase (string module))))
    (dolist (dir ccl:*module-search-path* nil)
      (let ((base (namestring (merge-pathnames name dir))))
        (dolist (candidate (list (concatenate 'string base ".lisp") base))
          (when (probe-file candidate)
            (return-from ccl::find-module-pathnames candidate)))))))

(defun ccl::module-provide-search-path (module)
  (let ((pathname (ccl::find-module-pathnames (string module))))
    (when pathname
      (if (consp pathname)
          (dolist (path pathname) (load path))
          (load pathname))
      (provide module))))

(defparameter ccl:*module-provider-functions* '(ccl::module-provide-search-path)
  "A list of functions called by REQUIRE to satisfy an unmet dependency.
Each function receives a module name as a single argument; if the function knows how to load that module, it should do so, add the module's name as a string to *MODULES* (perhaps by calling PROVIDE) and return non-NIL.")

(defun provide (module)
  "Adds a new module name to *MODULES* indicating that it has been loaded.
   Module-name is a string designator"
  (pushnew (string module) *modules* :test #'string=)
  module)

(defun require (module &optional pathname)
  "Loads a module, unless it already has been loaded. PATHNAMES, if supplied,
   is a designator for a list of pathnames to be loaded if the module
   needs to be. If PATHNAMES is not supplied, functions from the list
   *MODULE-PROVIDER-FUNCTIONS* are called in order with MODULE-NAME
   as an argument, until one of them returns non-NIL.  User code is
   responsible for calling PROVIDE to indicate a successful load of the
   module."
  (let* ((str (string module))
         (original-modules (copy-list *modules*)))
    (unless (or (member str *modules* :test #'string=)
                (member str ccl::*loading-modules* :test #'string=))
      (let ((ccl::*loading-modules* (cons str ccl::*loading-modules*)))
        (if pathname
            (dolist (path (if (atom pathname) (list pathname) pathname))
              (load path))
            (unless (some (lambda (p) (funcall p module)) ccl:*module-provider-functions*)
              (error "Module ~A was not provided by any function on ~S." module
                     'ccl:*module-provider-functions*)))))
    (values module (set-difference *modules* original-modules))))
