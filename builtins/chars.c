/* chars.c — characters: CHAR-CODE/CODE-CHAR, case mapping and classification with CCL's tables
 * (Unicode 5.0 simple case pairs), CHAR= and the other comparisons, digits, names, CHARACTER. */
#include "../interp/lisp.h"

/* ---- CCL's case pairs ----
 * CCL maps case with two tables built from the (upper . lower) pairs of Unicode 5.0 whose simple
 * mappings go both ways (level-1/l1-aprims.lisp). The pairs come in runs: a run is `count` codes
 * from `start`, `stride` apart, each mapped by adding `delta`. Generated from CCL's list. */
typedef struct CaseRun {
  uint32_t start;
  uint16_t count;
  uint8_t stride;
  int32_t delta;
} CaseRun;

/* Ranges of codes CCL's ALPHA-CHAR-P accepts (its *alpha-char-bits*), inclusive. */
typedef struct CodeRange {
  uint32_t lo, hi;
} CodeRange;

static const CaseRun upper_to_lower[] = {
    {0x41, 26, 1, 32},     {0xC0, 23, 1, 32},      {0xD8, 7, 1, 32},     {0x100, 24, 2, 1},
    {0x132, 3, 2, 1},      {0x139, 8, 2, 1},       {0x14A, 23, 2, 1},    {0x178, 1, 1, -121},
    {0x179, 3, 2, 1},      {0x181, 1, 1, 210},     {0x182, 2, 2, 1},     {0x186, 1, 1, 206},
    {0x187, 1, 1, 1},      {0x189, 2, 1, 205},     {0x18B, 1, 1, 1},     {0x18E, 1, 1, 79},
    {0x18F, 1, 1, 202},    {0x190, 1, 1, 203},     {0x191, 1, 1, 1},     {0x193, 1, 1, 205},
    {0x194, 1, 1, 207},    {0x196, 1, 1, 211},     {0x197, 1, 1, 209},   {0x198, 1, 1, 1},
    {0x19C, 1, 1, 211},    {0x19D, 1, 1, 213},     {0x19F, 1, 1, 214},   {0x1A0, 3, 2, 1},
    {0x1A6, 1, 1, 218},    {0x1A7, 1, 1, 1},       {0x1A9, 1, 1, 218},   {0x1AC, 1, 1, 1},
    {0x1AE, 1, 1, 218},    {0x1AF, 1, 1, 1},       {0x1B1, 2, 1, 217},   {0x1B3, 2, 2, 1},
    {0x1B7, 1, 1, 219},    {0x1B8, 1, 1, 1},       {0x1BC, 1, 1, 1},     {0x1C4, 1, 1, 2},
    {0x1C7, 1, 1, 2},      {0x1CA, 1, 1, 2},       {0x1CD, 8, 2, 1},     {0x1DE, 9, 2, 1},
    {0x1F1, 1, 1, 2},      {0x1F4, 1, 1, 1},       {0x1F6, 1, 1, -97},   {0x1F7, 1, 1, -56},
    {0x1F8, 20, 2, 1},     {0x220, 1, 1, -130},    {0x222, 9, 2, 1},     {0x23A, 1, 1, 10795},
    {0x23B, 1, 1, 1},      {0x23D, 1, 1, -163},    {0x23E, 1, 1, 10792}, {0x241, 1, 1, 1},
    {0x243, 1, 1, -195},   {0x244, 1, 1, 69},      {0x245, 1, 1, 71},    {0x246, 5, 2, 1},
    {0x386, 1, 1, 38},     {0x388, 3, 1, 37},      {0x38C, 1, 1, 64},    {0x38E, 2, 1, 63},
    {0x391, 17, 1, 32},    {0x3A3, 9, 1, 32},      {0x3D8, 12, 2, 1},    {0x3F7, 1, 1, 1},
    {0x3F9, 1, 1, -7},     {0x3FA, 1, 1, 1},       {0x3FD, 3, 1, -130},  {0x400, 16, 1, 80},
    {0x410, 32, 1, 32},    {0x460, 17, 2, 1},      {0x48A, 27, 2, 1},    {0x4C0, 1, 1, 15},
    {0x4C1, 7, 2, 1},      {0x4D0, 34, 2, 1},      {0x531, 38, 1, 48},   {0x10A0, 38, 1, 7264},
    {0x1E00, 75, 2, 1},    {0x1EA0, 45, 2, 1},     {0x1F08, 8, 1, -8},   {0x1F18, 6, 1, -8},
    {0x1F28, 8, 1, -8},    {0x1F38, 8, 1, -8},     {0x1F48, 6, 1, -8},   {0x1F59, 4, 2, -8},
    {0x1F68, 8, 1, -8},    {0x1F88, 8, 1, -8},     {0x1F98, 8, 1, -8},   {0x1FA8, 8, 1, -8},
    {0x1FB8, 2, 1, -8},    {0x1FBA, 2, 1, -74},    {0x1FBC, 1, 1, -9},   {0x1FC8, 4, 1, -86},
    {0x1FCC, 1, 1, -9},    {0x1FD8, 2, 1, -8},     {0x1FDA, 2, 1, -100}, {0x1FE8, 2, 1, -8},
    {0x1FEA, 2, 1, -112},  {0x1FEC, 1, 1, -7},     {0x1FF8, 2, 1, -128}, {0x1FFA, 2, 1, -126},
    {0x1FFC, 1, 1, -9},    {0x2132, 1, 1, 28},     {0x2160, 16, 1, 16},  {0x2183, 1, 1, 1},
    {0x24B6, 26, 1, 26},   {0x2C00, 47, 1, 48},    {0x2C60, 1, 1, 1},    {0x2C62, 1, 1, -10743},
    {0x2C63, 1, 1, -3814}, {0x2C64, 1, 1, -10727}, {0x2C67, 3, 2, 1},    {0x2C75, 1, 1, 1},
    {0x2C80, 50, 2, 1},    {0xFF21, 26, 1, 32},    {0x10400, 40, 1, 40},
};
static const CaseRun lower_to_upper[] = {
    {0x61, 26, 1, -32},     {0xE0, 23, 1, -32},   {0xF8, 7, 1, -32},     {0xFF, 1, 1, 121},
    {0x101, 24, 2, -1},     {0x133, 3, 2, -1},    {0x13A, 8, 2, -1},     {0x14B, 23, 2, -1},
    {0x17A, 3, 2, -1},      {0x180, 1, 1, 195},   {0x183, 2, 2, -1},     {0x188, 1, 1, -1},
    {0x18C, 1, 1, -1},      {0x192, 1, 1, -1},    {0x195, 1, 1, 97},     {0x199, 1, 1, -1},
    {0x19A, 1, 1, 163},     {0x19E, 1, 1, 130},   {0x1A1, 3, 2, -1},     {0x1A8, 1, 1, -1},
    {0x1AD, 1, 1, -1},      {0x1B0, 1, 1, -1},    {0x1B4, 2, 2, -1},     {0x1B9, 1, 1, -1},
    {0x1BD, 1, 1, -1},      {0x1BF, 1, 1, 56},    {0x1C6, 1, 1, -2},     {0x1C9, 1, 1, -2},
    {0x1CC, 1, 1, -2},      {0x1CE, 8, 2, -1},    {0x1DD, 1, 1, -79},    {0x1DF, 9, 2, -1},
    {0x1F3, 1, 1, -2},      {0x1F5, 1, 1, -1},    {0x1F9, 20, 2, -1},    {0x223, 9, 2, -1},
    {0x23C, 1, 1, -1},      {0x242, 1, 1, -1},    {0x247, 5, 2, -1},     {0x253, 1, 1, -210},
    {0x254, 1, 1, -206},    {0x256, 2, 1, -205},  {0x259, 1, 1, -202},   {0x25B, 1, 1, -203},
    {0x260, 1, 1, -205},    {0x263, 1, 1, -207},  {0x268, 1, 1, -209},   {0x269, 1, 1, -211},
    {0x26B, 1, 1, 10743},   {0x26F, 1, 1, -211},  {0x272, 1, 1, -213},   {0x275, 1, 1, -214},
    {0x27D, 1, 1, 10727},   {0x280, 1, 1, -218},  {0x283, 1, 1, -218},   {0x288, 1, 1, -218},
    {0x289, 1, 1, -69},     {0x28A, 2, 1, -217},  {0x28C, 1, 1, -71},    {0x292, 1, 1, -219},
    {0x37B, 3, 1, 130},     {0x3AC, 1, 1, -38},   {0x3AD, 3, 1, -37},    {0x3B1, 17, 1, -32},
    {0x3C3, 9, 1, -32},     {0x3CC, 1, 1, -64},   {0x3CD, 2, 1, -63},    {0x3D9, 12, 2, -1},
    {0x3F2, 1, 1, 7},       {0x3F8, 1, 1, -1},    {0x3FB, 1, 1, -1},     {0x430, 32, 1, -32},
    {0x450, 16, 1, -80},    {0x461, 17, 2, -1},   {0x48B, 27, 2, -1},    {0x4C2, 7, 2, -1},
    {0x4CF, 1, 1, -15},     {0x4D1, 34, 2, -1},   {0x561, 38, 1, -48},   {0x1D7D, 1, 1, 3814},
    {0x1E01, 75, 2, -1},    {0x1EA1, 45, 2, -1},  {0x1F00, 8, 1, 8},     {0x1F10, 6, 1, 8},
    {0x1F20, 8, 1, 8},      {0x1F30, 8, 1, 8},    {0x1F40, 6, 1, 8},     {0x1F51, 4, 2, 8},
    {0x1F60, 8, 1, 8},      {0x1F70, 2, 1, 74},   {0x1F72, 4, 1, 86},    {0x1F76, 2, 1, 100},
    {0x1F78, 2, 1, 128},    {0x1F7A, 2, 1, 112},  {0x1F7C, 2, 1, 126},   {0x1F80, 8, 1, 8},
    {0x1F90, 8, 1, 8},      {0x1FA0, 8, 1, 8},    {0x1FB0, 2, 1, 8},     {0x1FB3, 1, 1, 9},
    {0x1FC3, 1, 1, 9},      {0x1FD0, 2, 1, 8},    {0x1FE0, 2, 1, 8},     {0x1FE5, 1, 1, 7},
    {0x1FF3, 1, 1, 9},      {0x214E, 1, 1, -28},  {0x2170, 16, 1, -16},  {0x2184, 1, 1, -1},
    {0x24D0, 26, 1, -26},   {0x2C30, 47, 1, -48}, {0x2C61, 1, 1, -1},    {0x2C65, 1, 1, -10795},
    {0x2C66, 1, 1, -10792}, {0x2C68, 3, 2, -1},   {0x2C76, 1, 1, -1},    {0x2C81, 50, 2, -1},
    {0x2D00, 38, 1, -7264}, {0xFF41, 26, 1, -32}, {0x10428, 40, 1, -40},
};
static const CodeRange alpha_ranges[] = {
    {0x41, 0x5A},       {0x61, 0x7A},       {0xAA, 0xAA},       {0xB5, 0xB5},       {0xBA, 0xBA},
    {0xC0, 0xD6},       {0xD8, 0xF6},       {0xF8, 0x2C1},      {0x2C6, 0x2D1},     {0x2E0, 0x2E4},
    {0x2EC, 0x2EC},     {0x2EE, 0x2EE},     {0x345, 0x345},     {0x370, 0x374},     {0x376, 0x377},
    {0x37A, 0x37D},     {0x386, 0x386},     {0x388, 0x38A},     {0x38C, 0x38C},     {0x38E, 0x3A1},
    {0x3A3, 0x3F5},     {0x3F7, 0x481},     {0x48A, 0x523},     {0x531, 0x556},     {0x559, 0x559},
    {0x561, 0x587},     {0x5B0, 0x5BD},     {0x5BF, 0x5BF},     {0x5C1, 0x5C2},     {0x5C4, 0x5C5},
    {0x5C7, 0x5C7},     {0x5D0, 0x5EA},     {0x5F0, 0x5F2},     {0x610, 0x61A},     {0x621, 0x657},
    {0x659, 0x65E},     {0x66E, 0x6D3},     {0x6D5, 0x6DC},     {0x6E1, 0x6E8},     {0x6ED, 0x6EF},
    {0x6FA, 0x6FC},     {0x6FF, 0x6FF},     {0x710, 0x73F},     {0x74D, 0x7B1},     {0x7CA, 0x7EA},
    {0x7F4, 0x7F5},     {0x7FA, 0x7FA},     {0x901, 0x939},     {0x93D, 0x94C},     {0x950, 0x950},
    {0x958, 0x963},     {0x971, 0x972},     {0x97B, 0x97F},     {0x981, 0x983},     {0x985, 0x98C},
    {0x98F, 0x990},     {0x993, 0x9A8},     {0x9AA, 0x9B0},     {0x9B2, 0x9B2},     {0x9B6, 0x9B9},
    {0x9BD, 0x9C4},     {0x9C7, 0x9C8},     {0x9CB, 0x9CC},     {0x9CE, 0x9CE},     {0x9D7, 0x9D7},
    {0x9DC, 0x9DD},     {0x9DF, 0x9E3},     {0x9F0, 0x9F1},     {0xA01, 0xA03},     {0xA05, 0xA0A},
    {0xA0F, 0xA10},     {0xA13, 0xA28},     {0xA2A, 0xA30},     {0xA32, 0xA33},     {0xA35, 0xA36},
    {0xA38, 0xA39},     {0xA3E, 0xA42},     {0xA47, 0xA48},     {0xA4B, 0xA4C},     {0xA51, 0xA51},
    {0xA59, 0xA5C},     {0xA5E, 0xA5E},     {0xA70, 0xA75},     {0xA81, 0xA83},     {0xA85, 0xA8D},
    {0xA8F, 0xA91},     {0xA93, 0xAA8},     {0xAAA, 0xAB0},     {0xAB2, 0xAB3},     {0xAB5, 0xAB9},
    {0xABD, 0xAC5},     {0xAC7, 0xAC9},     {0xACB, 0xACC},     {0xAD0, 0xAD0},     {0xAE0, 0xAE3},
    {0xB01, 0xB03},     {0xB05, 0xB0C},     {0xB0F, 0xB10},     {0xB13, 0xB28},     {0xB2A, 0xB30},
    {0xB32, 0xB33},     {0xB35, 0xB39},     {0xB3D, 0xB44},     {0xB47, 0xB48},     {0xB4B, 0xB4C},
    {0xB56, 0xB57},     {0xB5C, 0xB5D},     {0xB5F, 0xB63},     {0xB71, 0xB71},     {0xB82, 0xB83},
    {0xB85, 0xB8A},     {0xB8E, 0xB90},     {0xB92, 0xB95},     {0xB99, 0xB9A},     {0xB9C, 0xB9C},
    {0xB9E, 0xB9F},     {0xBA3, 0xBA4},     {0xBA8, 0xBAA},     {0xBAE, 0xBB9},     {0xBBE, 0xBC2},
    {0xBC6, 0xBC8},     {0xBCA, 0xBCC},     {0xBD0, 0xBD0},     {0xBD7, 0xBD7},     {0xC01, 0xC03},
    {0xC05, 0xC0C},     {0xC0E, 0xC10},     {0xC12, 0xC28},     {0xC2A, 0xC33},     {0xC35, 0xC39},
    {0xC3D, 0xC44},     {0xC46, 0xC48},     {0xC4A, 0xC4C},     {0xC55, 0xC56},     {0xC58, 0xC59},
    {0xC60, 0xC63},     {0xC82, 0xC83},     {0xC85, 0xC8C},     {0xC8E, 0xC90},     {0xC92, 0xCA8},
    {0xCAA, 0xCB3},     {0xCB5, 0xCB9},     {0xCBD, 0xCC4},     {0xCC6, 0xCC8},     {0xCCA, 0xCCC},
    {0xCD5, 0xCD6},     {0xCDE, 0xCDE},     {0xCE0, 0xCE3},     {0xD02, 0xD03},     {0xD05, 0xD0C},
    {0xD0E, 0xD10},     {0xD12, 0xD28},     {0xD2A, 0xD39},     {0xD3D, 0xD44},     {0xD46, 0xD48},
    {0xD4A, 0xD4C},     {0xD57, 0xD57},     {0xD60, 0xD63},     {0xD7A, 0xD7F},     {0xD82, 0xD83},
    {0xD85, 0xD96},     {0xD9A, 0xDB1},     {0xDB3, 0xDBB},     {0xDBD, 0xDBD},     {0xDC0, 0xDC6},
    {0xDCF, 0xDD4},     {0xDD6, 0xDD6},     {0xDD8, 0xDDF},     {0xDF2, 0xDF3},     {0xE01, 0xE3A},
    {0xE40, 0xE46},     {0xE4D, 0xE4D},     {0xE81, 0xE82},     {0xE84, 0xE84},     {0xE87, 0xE88},
    {0xE8A, 0xE8A},     {0xE8D, 0xE8D},     {0xE94, 0xE97},     {0xE99, 0xE9F},     {0xEA1, 0xEA3},
    {0xEA5, 0xEA5},     {0xEA7, 0xEA7},     {0xEAA, 0xEAB},     {0xEAD, 0xEB9},     {0xEBB, 0xEBD},
    {0xEC0, 0xEC4},     {0xEC6, 0xEC6},     {0xECD, 0xECD},     {0xEDC, 0xEDD},     {0xF00, 0xF00},
    {0xF40, 0xF47},     {0xF49, 0xF6C},     {0xF71, 0xF81},     {0xF88, 0xF8B},     {0xF90, 0xF97},
    {0xF99, 0xFBC},     {0x1000, 0x1036},   {0x1038, 0x1038},   {0x103B, 0x103F},   {0x1050, 0x1062},
    {0x1065, 0x1068},   {0x106E, 0x1086},   {0x108E, 0x108E},   {0x10A0, 0x10C5},   {0x10D0, 0x10FA},
    {0x10FC, 0x10FC},   {0x1100, 0x1159},   {0x115F, 0x11A2},   {0x11A8, 0x11F9},   {0x1200, 0x1248},
    {0x124A, 0x124D},   {0x1250, 0x1256},   {0x1258, 0x1258},   {0x125A, 0x125D},   {0x1260, 0x1288},
    {0x128A, 0x128D},   {0x1290, 0x12B0},   {0x12B2, 0x12B5},   {0x12B8, 0x12BE},   {0x12C0, 0x12C0},
    {0x12C2, 0x12C5},   {0x12C8, 0x12D6},   {0x12D8, 0x1310},   {0x1312, 0x1315},   {0x1318, 0x135A},
    {0x135F, 0x135F},   {0x1380, 0x138F},   {0x13A0, 0x13F4},   {0x1401, 0x166C},   {0x166F, 0x1676},
    {0x1681, 0x169A},   {0x16A0, 0x16EA},   {0x16EE, 0x16F0},   {0x1700, 0x170C},   {0x170E, 0x1713},
    {0x1720, 0x1733},   {0x1740, 0x1753},   {0x1760, 0x176C},   {0x176E, 0x1770},   {0x1772, 0x1773},
    {0x1780, 0x17B3},   {0x17B6, 0x17C8},   {0x17D7, 0x17D7},   {0x17DC, 0x17DC},   {0x1820, 0x1877},
    {0x1880, 0x18AA},   {0x1900, 0x191C},   {0x1920, 0x192B},   {0x1930, 0x1938},   {0x1950, 0x196D},
    {0x1970, 0x1974},   {0x1980, 0x19A9},   {0x19B0, 0x19C9},   {0x1A00, 0x1A1B},   {0x1B00, 0x1B33},
    {0x1B35, 0x1B43},   {0x1B45, 0x1B4B},   {0x1B80, 0x1BA9},   {0x1BAE, 0x1BAF},   {0x1C00, 0x1C35},
    {0x1C4D, 0x1C4F},   {0x1C5A, 0x1C7D},   {0x1D00, 0x1DBF},   {0x1E00, 0x1F15},   {0x1F18, 0x1F1D},
    {0x1F20, 0x1F45},   {0x1F48, 0x1F4D},   {0x1F50, 0x1F57},   {0x1F59, 0x1F59},   {0x1F5B, 0x1F5B},
    {0x1F5D, 0x1F5D},   {0x1F5F, 0x1F7D},   {0x1F80, 0x1FB4},   {0x1FB6, 0x1FBC},   {0x1FBE, 0x1FBE},
    {0x1FC2, 0x1FC4},   {0x1FC6, 0x1FCC},   {0x1FD0, 0x1FD3},   {0x1FD6, 0x1FDB},   {0x1FE0, 0x1FEC},
    {0x1FF2, 0x1FF4},   {0x1FF6, 0x1FFC},   {0x2071, 0x2071},   {0x207F, 0x207F},   {0x2090, 0x2094},
    {0x2102, 0x2102},   {0x2107, 0x2107},   {0x210A, 0x2113},   {0x2115, 0x2115},   {0x2119, 0x211D},
    {0x2124, 0x2124},   {0x2126, 0x2126},   {0x2128, 0x2128},   {0x212A, 0x212D},   {0x212F, 0x2139},
    {0x213C, 0x213F},   {0x2145, 0x2149},   {0x214E, 0x214E},   {0x2160, 0x2188},   {0x24B6, 0x24E9},
    {0x2C00, 0x2C2E},   {0x2C30, 0x2C5E},   {0x2C60, 0x2C6F},   {0x2C71, 0x2C7D},   {0x2C80, 0x2CE4},
    {0x2D00, 0x2D25},   {0x2D30, 0x2D65},   {0x2D6F, 0x2D6F},   {0x2D80, 0x2D96},   {0x2DA0, 0x2DA6},
    {0x2DA8, 0x2DAE},   {0x2DB0, 0x2DB6},   {0x2DB8, 0x2DBE},   {0x2DC0, 0x2DC6},   {0x2DC8, 0x2DCE},
    {0x2DD0, 0x2DD6},   {0x2DD8, 0x2DDE},   {0x2DE0, 0x2DFF},   {0x2E2F, 0x2E2F},   {0x3005, 0x3007},
    {0x3021, 0x3029},   {0x3031, 0x3035},   {0x3038, 0x303C},   {0x3041, 0x3096},   {0x309D, 0x309F},
    {0x30A1, 0x30FA},   {0x30FC, 0x30FF},   {0x3105, 0x312D},   {0x3131, 0x318E},   {0x31A0, 0x31B7},
    {0x31F0, 0x31FF},   {0x3400, 0x4DB5},   {0x4E00, 0x9FC3},   {0xA000, 0xA48C},   {0xA500, 0xA60C},
    {0xA610, 0xA61F},   {0xA62A, 0xA62B},   {0xA640, 0xA65F},   {0xA662, 0xA66E},   {0xA67F, 0xA697},
    {0xA717, 0xA71F},   {0xA722, 0xA788},   {0xA78B, 0xA78C},   {0xA7FB, 0xA801},   {0xA803, 0xA805},
    {0xA807, 0xA80A},   {0xA80C, 0xA827},   {0xA840, 0xA873},   {0xA880, 0xA8C3},   {0xA90A, 0xA92A},
    {0xA930, 0xA952},   {0xAA00, 0xAA36},   {0xAA40, 0xAA4D},   {0xAC00, 0xD7A3},   {0xF900, 0xFA2D},
    {0xFA30, 0xFA6A},   {0xFA70, 0xFAD9},   {0xFB00, 0xFB06},   {0xFB13, 0xFB17},   {0xFB1D, 0xFB28},
    {0xFB2A, 0xFB36},   {0xFB38, 0xFB3C},   {0xFB3E, 0xFB3E},   {0xFB40, 0xFB41},   {0xFB43, 0xFB44},
    {0xFB46, 0xFBB1},   {0xFBD3, 0xFD3D},   {0xFD50, 0xFD8F},   {0xFD92, 0xFDC7},   {0xFDF0, 0xFDFB},
    {0xFE70, 0xFE74},   {0xFE76, 0xFEFC},   {0xFF21, 0xFF3A},   {0xFF41, 0xFF5A},   {0xFF66, 0xFFBE},
    {0xFFC2, 0xFFC7},   {0xFFCA, 0xFFCF},   {0xFFD2, 0xFFD7},   {0xFFDA, 0xFFDC},   {0x10000, 0x1000B},
    {0x1000D, 0x10026}, {0x10028, 0x1003A}, {0x1003C, 0x1003D}, {0x1003F, 0x1004D}, {0x10050, 0x1005D},
    {0x10080, 0x100FA}, {0x10140, 0x10174}, {0x10280, 0x1029C}, {0x102A0, 0x102D0}, {0x10300, 0x1031E},
    {0x10330, 0x1034A}, {0x10380, 0x1039D}, {0x103A0, 0x103C3}, {0x103C8, 0x103CF}, {0x103D1, 0x103D5},
    {0x10400, 0x1049D}, {0x10800, 0x10805}, {0x10808, 0x10808}, {0x1080A, 0x10835}, {0x10837, 0x10838},
    {0x1083C, 0x1083C}, {0x1083F, 0x1083F}, {0x10900, 0x10915}, {0x10920, 0x10939}, {0x10A00, 0x10A03},
    {0x10A05, 0x10A06}, {0x10A0C, 0x10A13}, {0x10A15, 0x10A17}, {0x10A19, 0x10A33}, {0x12000, 0x1236E},
    {0x12400, 0x12462}, {0x1D400, 0x1D454}, {0x1D456, 0x1D49C}, {0x1D49E, 0x1D49F}, {0x1D4A2, 0x1D4A2},
    {0x1D4A5, 0x1D4A6}, {0x1D4A9, 0x1D4AC}, {0x1D4AE, 0x1D4B9}, {0x1D4BB, 0x1D4BB}, {0x1D4BD, 0x1D4C3},
    {0x1D4C5, 0x1D505}, {0x1D507, 0x1D50A}, {0x1D50D, 0x1D514}, {0x1D516, 0x1D51C}, {0x1D51E, 0x1D539},
    {0x1D53B, 0x1D53E}, {0x1D540, 0x1D544}, {0x1D546, 0x1D546}, {0x1D54A, 0x1D550}, {0x1D552, 0x1D6A5},
    {0x1D6A8, 0x1D6C0}, {0x1D6C2, 0x1D6DA}, {0x1D6DC, 0x1D6FA}, {0x1D6FC, 0x1D714}, {0x1D716, 0x1D734},
    {0x1D736, 0x1D74E}, {0x1D750, 0x1D76E}, {0x1D770, 0x1D788}, {0x1D78A, 0x1D7A8}, {0x1D7AA, 0x1D7C2},
    {0x1D7C4, 0x1D7CB}, {0x20000, 0x2A6D6}, {0x2F800, 0x2FA1D},
};

/* Control and formatting characters: the ones GRAPHIC-CHAR-P rejects (CCL's %control-char-p). */
static const CodeRange control_ranges[] = {
    {0x0, 0x1F},      {0x7F, 0x9F},     {0x34F, 0x34F},     {0x200C, 0x200F},
    {0x202A, 0x202E}, {0x2060, 0x2063}, {0x206A, 0x206F},   {0xFE00, 0xFE0F},
    {0xFEFF, 0xFEFF}, {0xFFF0, 0xFFFD}, {0xE0000, 0xEFFFD},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int32_t case_delta(const CaseRun *t, size_t n, uint32_t c) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (t[mid].start <= c)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == 0)
    return 0;
  const CaseRun *r = &t[lo - 1];
  uint32_t off = c - r->start;
  if (off % r->stride != 0 || off / r->stride >= r->count)
    return 0;
  return r->delta;
}

static bool in_ranges(const CodeRange *t, size_t n, uint32_t c) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (t[mid].hi < c)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < n && t[lo].lo <= c;
}

uint32_t char_upcase_code(uint32_t c) {
  if (c < 0x80)
    return c >= 'a' && c <= 'z' ? c - 32 : c;
  return (uint32_t)((int32_t)c + case_delta(lower_to_upper, COUNT(lower_to_upper), c));
}

uint32_t char_downcase_code(uint32_t c) {
  if (c < 0x80)
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
  return (uint32_t)((int32_t)c + case_delta(upper_to_lower, COUNT(upper_to_lower), c));
}

bool char_upper_code_p(uint32_t c) { return case_delta(upper_to_lower, COUNT(upper_to_lower), c) != 0; }
bool char_lower_code_p(uint32_t c) { return case_delta(lower_to_upper, COUNT(lower_to_upper), c) != 0; }

bool char_alpha_code_p(uint32_t c) {
  if (c < 0x80)
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  return in_ranges(alpha_ranges, COUNT(alpha_ranges), c);
}

bool char_alphanumeric_code_p(uint32_t c) { return (c >= '0' && c <= '9') || char_alpha_code_p(c); }

/* ---- Argument checks ---- */

static uint32_t check_char(Thread *th, Value v) {
  if (!is_char(v))
    type_error(th, v, SYM(character));
  return char_code(v);
}

/* ---- Codes ---- */

static Value lisp_char_code(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_fixnum(check_char(th, args[0]));
}

static Value lisp_code_char(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value n = args[0];
  if (!is_fixnum(n) || fixnum_val(n) < 0 || fixnum_val(n) >= CHAR_CODE_LIMIT)
    type_error_c(th, n, "(MOD 1114112)");
  uint32_t c = (uint32_t)fixnum_val(n);
  /* CCL: surrogate codes are never characters. */
  if (c >= 0xD800 && c <= 0xDFFF)
    return NIL;
  return make_char(c);
}

/* ---- Case ---- */

static Value lisp_char_upcase(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_char(char_upcase_code(check_char(th, args[0])));
}

static Value lisp_char_downcase(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_char(char_downcase_code(check_char(th, args[0])));
}

#define CHAR_PREDICATE(cname, test)                                                                          \
  static Value cname(Thread *th, int nargs, Value *args) {                                                   \
    UNUSED(nargs);                                                                                           \
    uint32_t c = check_char(th, args[0]);                                                                    \
    return BOOL(th, test);                                                                                   \
  }
CHAR_PREDICATE(lisp_upper_case_p, char_upper_code_p(c))
CHAR_PREDICATE(lisp_lower_case_p, char_lower_code_p(c))
CHAR_PREDICATE(lisp_both_case_p, char_upper_code_p(c) || char_lower_code_p(c))
CHAR_PREDICATE(lisp_alpha_char_p, char_alpha_code_p(c))
CHAR_PREDICATE(lisp_alphanumericp, char_alphanumeric_code_p(c))
CHAR_PREDICATE(lisp_graphic_char_p, !in_ranges(control_ranges, COUNT(control_ranges), c))
CHAR_PREDICATE(lisp_standard_char_p, c == '\n' || (c >= ' ' && c < 0x7F))
#undef CHAR_PREDICATE

/* ---- Comparisons ----
 * Every argument is checked before any is compared, so (char= #\a #\b 1) is a type error as ANSI
 * asks, and a comparison allocates nothing. */

static void check_chars(Thread *th, int nargs, Value *args) {
  for (int i = 0; i < nargs; i++)
    check_char(th, args[i]);
}

static uint32_t folded(Value c) { return char_upcase_code(char_code(c)); }

enum CharOrder { ORD_LT, ORD_GT, ORD_LE, ORD_GE };

static bool ordered(uint32_t a, uint32_t b, enum CharOrder o) {
  switch (o) {
  case ORD_LT:
    return a < b;
  case ORD_GT:
    return a > b;
  case ORD_LE:
    return a <= b;
  default:
    return a >= b;
  }
}

static Value chars_ordered(Thread *th, int nargs, Value *args, enum CharOrder o, bool fold) {
  check_chars(th, nargs, args);
  for (int i = 1; i < nargs; i++) {
    uint32_t a = fold ? folded(args[i - 1]) : char_code(args[i - 1]);
    uint32_t b = fold ? folded(args[i]) : char_code(args[i]);
    if (!ordered(a, b, o))
      return NIL;
  }
  return SYM(t);
}

static Value chars_all_equal(Thread *th, int nargs, Value *args, bool fold) {
  check_chars(th, nargs, args);
  uint32_t first = fold ? folded(args[0]) : char_code(args[0]);
  for (int i = 1; i < nargs; i++)
    if ((fold ? folded(args[i]) : char_code(args[i])) != first)
      return NIL;
  return SYM(t);
}

/* CHAR/= compares every pair, not just neighbours. */
static Value chars_all_different(Thread *th, int nargs, Value *args, bool fold) {
  check_chars(th, nargs, args);
  for (int i = 0; i < nargs; i++) {
    uint32_t a = fold ? folded(args[i]) : char_code(args[i]);
    for (int j = i + 1; j < nargs; j++)
      if ((fold ? folded(args[j]) : char_code(args[j])) == a)
        return NIL;
  }
  return SYM(t);
}

#define CHAR_COMPARE(cname, expr)                                                                            \
  static Value cname(Thread *th, int nargs, Value *args) { return expr; }
CHAR_COMPARE(lisp_char_eq, chars_all_equal(th, nargs, args, false))
CHAR_COMPARE(lisp_char_ne, chars_all_different(th, nargs, args, false))
CHAR_COMPARE(lisp_char_lt, chars_ordered(th, nargs, args, ORD_LT, false))
CHAR_COMPARE(lisp_char_gt, chars_ordered(th, nargs, args, ORD_GT, false))
CHAR_COMPARE(lisp_char_le, chars_ordered(th, nargs, args, ORD_LE, false))
CHAR_COMPARE(lisp_char_ge, chars_ordered(th, nargs, args, ORD_GE, false))
CHAR_COMPARE(lisp_char_equal, chars_all_equal(th, nargs, args, true))
CHAR_COMPARE(lisp_char_not_equal, chars_all_different(th, nargs, args, true))
CHAR_COMPARE(lisp_char_lessp, chars_ordered(th, nargs, args, ORD_LT, true))
CHAR_COMPARE(lisp_char_greaterp, chars_ordered(th, nargs, args, ORD_GT, true))
CHAR_COMPARE(lisp_char_not_greaterp, chars_ordered(th, nargs, args, ORD_LE, true))
CHAR_COMPARE(lisp_char_not_lessp, chars_ordered(th, nargs, args, ORD_GE, true))
#undef CHAR_COMPARE

/* ---- Digits ---- */

static Value lisp_digit_char_p(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  uint32_t c = check_char(th, args[0]);
  intptr_t radix = 10;
  Value r = arg_or(args[1], NIL);
  if (r != NIL) {
    if (!is_fixnum(r) || fixnum_val(r) < 2 || fixnum_val(r) > 36)
      type_error_c(th, r, "(INTEGER 2 36)");
    radix = fixnum_val(r);
  }
  intptr_t weight = c >= '0' && c <= '9'   ? (intptr_t)(c - '0')
                    : c >= 'A' && c <= 'Z' ? (intptr_t)(c - 'A' + 10)
                    : c >= 'a' && c <= 'z' ? (intptr_t)(c - 'a' + 10)
                                           : 99;
  return weight < radix ? make_fixnum(weight) : NIL;
}

/* CCL: a radix outside 2..36 or a weight out of range is NIL, not an error. */
static Value lisp_digit_char(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value weight = args[0];
  Value r = arg_or(args[1], NIL);
  if (r != NIL && !is_integer(r))
    type_error(th, r, SYM(integer));
  if (!is_integer(weight))
    type_error(th, weight, SYM(integer));
  intptr_t radix = r == NIL ? 10 : is_fixnum(r) ? fixnum_val(r) : 0;
  if (!is_fixnum(weight) || radix < 2 || radix > 36)
    return NIL;
  intptr_t w = fixnum_val(weight);
  if (w < 0 || w >= radix)
    return NIL;
  return make_char(w < 10 ? (uint32_t)('0' + w) : (uint32_t)('A' + w - 10));
}

/* ---- Names and designators ---- */

static Value lisp_char_int(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_fixnum(check_char(th, args[0]));
}

static Value lisp_char_name(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return char_name(th, check_char(th, args[0]));
}

static Value lisp_name_char(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value name = args[0];
  if (is_char(name))
    return name;
  if (is_symbol(name))
    name = symbol_name(th, name);
  else if (!is_any_string(name))
    type_error_c(th, name, "(OR STRING SYMBOL CHARACTER)");
  return name_char(th, name);
}

static Value lisp_character(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = args[0];
  if (is_char(x))
    return x;
  Value s = is_symbol(x) ? symbol_name(th, x) : x;
  size_t n;
  const uint32_t *d = string_chars(s, &n);
  if (d && n == 1)
    return make_char(d[0]);
  type_error_c(th, x, "(SATISFIES CCL::CHARACTER-DESIGNATOR-P)");
}

/* ---- Registration ---- */

#define CHAR_PRED(name, fn, doc)                                                                             \
  { name, fn, 1, 1, 0, NULL, "(char)", doc }
#define CHAR_CMP(name, fn, doc)                                                                              \
  { name, fn, 1, 1, NAT_REST, NULL, "(char &rest more-chars)", doc }

static const NativeDesc chars_natives[] = {
    {"CHAR-CODE", lisp_char_code, 1, 1, 0, NULL, "(char)", "Return the integer code of CHAR."},
    {"CHAR-INT", lisp_char_int, 1, 1, 0, NULL, "(char)",
     "Return the integer code of CHAR (there are no bits or fonts)."},
    {"CODE-CHAR", lisp_code_char, 1, 1, 0, NULL, "(code)",
     "Return the character whose code is CODE, or NIL for a surrogate code (#xD800-#xDFFF)."},
    {"CHAR-UPCASE", lisp_char_upcase, 1, 1, 0, NULL, "(char)",
     "Return CHAR in upper case if it has an upper-case equivalent, else CHAR (lower-case eszet stays)."},
    {"CHAR-DOWNCASE", lisp_char_downcase, 1, 1, 0, NULL, "(char)",
     "Return CHAR in lower case if it has a lower-case equivalent, else CHAR."},
    CHAR_PRED("UPPER-CASE-P", lisp_upper_case_p,
              "Return T if CHAR is an upper-case character with a lower-case equivalent."),
    CHAR_PRED("LOWER-CASE-P", lisp_lower_case_p,
              "Return T if CHAR is a lower-case character with an upper-case equivalent."),
    CHAR_PRED("BOTH-CASE-P", lisp_both_case_p,
              "Return T if CHAR exists in both an upper-case and a lower-case form."),
    CHAR_PRED("ALPHA-CHAR-P", lisp_alpha_char_p, "Return T if CHAR is an alphabetic character."),
    CHAR_PRED("ALPHANUMERICP", lisp_alphanumericp, "Return T if CHAR is alphabetic or a decimal digit 0-9."),
    CHAR_PRED("GRAPHIC-CHAR-P", lisp_graphic_char_p,
              "Return T unless CHAR is a Unicode control or formatting character."),
    CHAR_PRED("STANDARD-CHAR-P", lisp_standard_char_p,
              "Return T if CHAR is one of the 95 printing ASCII characters or #\\Newline."),
    CHAR_CMP("CHAR=", lisp_char_eq, "Return T if all the arguments are the same character."),
    CHAR_CMP("CHAR/=", lisp_char_ne, "Return T if no two of the arguments are the same character."),
    CHAR_CMP("CHAR<", lisp_char_lt, "Return T if the arguments' codes are strictly increasing."),
    CHAR_CMP("CHAR>", lisp_char_gt, "Return T if the arguments' codes are strictly decreasing."),
    CHAR_CMP("CHAR<=", lisp_char_le, "Return T if the arguments' codes are non-decreasing."),
    CHAR_CMP("CHAR>=", lisp_char_ge, "Return T if the arguments' codes are non-increasing."),
    CHAR_CMP("CHAR-EQUAL", lisp_char_equal,
             "Return T if all the arguments are the same character, ignoring case."),
    CHAR_CMP("CHAR-NOT-EQUAL", lisp_char_not_equal,
             "Return T if no two of the arguments are the same character, ignoring case."),
    CHAR_CMP("CHAR-LESSP", lisp_char_lessp,
             "Return T if the arguments are in strictly increasing order, ignoring case."),
    CHAR_CMP("CHAR-GREATERP", lisp_char_greaterp,
             "Return T if the arguments are in strictly decreasing order, ignoring case."),
    CHAR_CMP("CHAR-NOT-GREATERP", lisp_char_not_greaterp,
             "Return T if the arguments are in non-decreasing order, ignoring case."),
    CHAR_CMP("CHAR-NOT-LESSP", lisp_char_not_lessp,
             "Return T if the arguments are in non-increasing order, ignoring case."),
    {"DIGIT-CHAR-P", lisp_digit_char_p, 1, 2, 0, NULL, "(char &optional radix)",
     "If CHAR is a digit in RADIX (default 10), return its weight, else NIL."},
    {"DIGIT-CHAR", lisp_digit_char, 1, 2, 0, NULL, "(weight &optional radix)",
     "Return the character of digit WEIGHT in RADIX (default 10, upper-case letters past 9), or NIL."},
    {"CHAR-NAME", lisp_char_name, 1, 1, 0, NULL, "(char)",
     "Return the name of CHAR as a string, or NIL if it has none."},
    {"NAME-CHAR", lisp_name_char, 1, 1, 0, NULL, "(name)",
     "Return the character whose name is the string designator NAME, or NIL."},
    {"CHARACTER", lisp_character, 1, 1, 0, NULL, "(object)",
     "Return the character OBJECT designates: a character, or a string or symbol name of length 1."},
    {0},
};

void builtins_chars_init(Thread *th) {
  define_natives(th, chars_natives);
  Value sym = intern_c(th, "CHAR-CODE-LIMIT", th->vm->pkg_cl);
  export_symbol(th, sym, th->vm->pkg_cl);
  Symbol *s = symbol_of(th, sym);
  s->value = make_fixnum(CHAR_CODE_LIMIT);
  s->h.flags |= SYM_CONSTANT;
}
