// SPDX-License-Identifier: Apache-2.0
// What benchmarks read about a process from /proc: its CPU time and resident memory, and the
// machine's load, which says how far wall-clock figures on shared cores can be trusted.
#pragma once

#include <string>

namespace slipway::testing {

/// User plus system CPU time `pid` has used so far, in seconds (/proc/PID/stat); 0 if the
/// process is gone.
double cpuSeconds(long long pid);
/// Resident memory of `pid` in KiB (VmRSS of /proc/PID/status); -1 if the process is gone.
long rssKiB(long long pid);
/// The 1-minute load average as /proc/loadavg writes it, e.g. "0.84".
std::string loadAverage();

}  // namespace slipway::testing
