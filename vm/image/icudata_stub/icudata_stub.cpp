// SPDX-License-Identifier: Apache-2.0
//
// An empty stand-in for ICU's data library (libicudata.so.<N>, 31 MiB) in the guest image.
// slipwayd links libarchive, which links libxml2 (for xar archives), which links ICU; the
// loader needs the library to exist, but slipwayd never reads xar archives, so ICU never
// opens its data. The symbol ICU looks for is here, with a header it rejects as not ICU data:
// any use of ICU would fail with a missing-data error instead of reading garbage.
#ifndef SLIPWAY_ICU_VERSION
#error "SLIPWAY_ICU_VERSION (the ICU major version, e.g. 72) must be defined"
#endif

#define SLIPWAY_ICU_SYMBOL_2(version) icudt##version##_dat
#define SLIPWAY_ICU_SYMBOL(version) SLIPWAY_ICU_SYMBOL_2(version)

extern "C" const char SLIPWAY_ICU_SYMBOL(SLIPWAY_ICU_VERSION)[64] = {};
