// SPDX-License-Identifier: Apache-2.0
// Helper for tst_store's crash test: opens the store given as argv[1], then 4 threads create
// and update keys as fast as group commit allows, printing one line per acknowledged write
// ("C <key>" after a create, "U <key>" after an update) to stdout, until it is SIGKILLed.
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include <sys/prctl.h>
#include <unistd.h>

#include "engine/store/store.h"

namespace {

void acknowledge(char kind, const std::string& key) {
    // One write() under PIPE_BUF is atomic, so lines of different threads never interleave.
    const std::string line = std::string(1, kind) + " " + key + "\n";
    if (write(STDOUT_FILENO, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
        _exit(4);
    }
}

}  // namespace

int main(int argc, char** argv) {
    // Never outlive the test, even if it fails before killing us.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (argc != 2) {
        return 2;
    }
    auto opened = slipway::store::Store::open(argv[1]);
    if (!opened) {
        return 3;
    }
    slipway::store::Store& store = **opened;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&store, t] {
            for (int n = 0;; ++n) {
                const std::string key =
                    "/registry/crash/t" + std::to_string(t) + "-" + std::to_string(n);
                if (!store.create(key, "created:" + key)) {
                    _exit(5);
                }
                acknowledge('C', key);
                if (!store.update(key, "updated:" + key)) {
                    _exit(5);
                }
                acknowledge('U', key);
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    return 0;
}
