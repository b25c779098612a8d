// SPDX-License-Identifier: Apache-2.0
#include "vm/accelerator.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "engine/core/atomic_file.h"
#include "vm/process.h"

namespace slipway::vm {
namespace {

/// The kernel prints this once it has run all of its initialisation and finds no root file
/// system: proof that the guest ran, which a hanging KVM never shows.
constexpr std::string_view kBootedMarker = "Kernel panic";

std::string currentBootId() {
    auto text = core::readFile("/proc/sys/kernel/random/boot_id");
    if (!text) {
        return {};
    }
    std::string id = *text;
    while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) {
        id.pop_back();
    }
    return id;
}

std::optional<AcceleratorChoice> readCache(const std::filesystem::path& file,
                                           const std::string& bootId) {
    if (file.empty() || bootId.empty()) {
        return std::nullopt;
    }
    auto text = core::readFile(file);
    if (!text) {
        return std::nullopt;
    }
    try {
        const auto json = nlohmann::json::parse(*text);
        if (json.value("bootId", std::string()) != bootId) {
            return std::nullopt;  // measured in an earlier boot: kernels and modules change
        }
        AcceleratorChoice choice;
        choice.accelerator = json.at("kvm").get<bool>() ? Accelerator::Kvm : Accelerator::Tcg;
        choice.reason = json.value("reason", std::string());
        choice.cached = true;
        return choice;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

void writeCache(const std::filesystem::path& file, const std::string& bootId,
                const AcceleratorChoice& choice) {
    if (file.empty() || bootId.empty()) {
        return;
    }
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    const nlohmann::json json = {{"bootId", bootId},
                                 {"kvm", choice.accelerator == Accelerator::Kvm},
                                 {"reason", choice.reason}};
    (void)core::writeFileAtomically(file, json.dump() + "\n");
}

AcceleratorChoice measure(const KvmProbeOptions& options) {
    const auto tcg = [](std::string reason) {
        return AcceleratorChoice{Accelerator::Tcg, std::move(reason), false};
    };
    const int fd = ::open(options.kvmDevice.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        return tcg("cannot open " + options.kvmDevice.string() + ": " + std::strerror(errno));
    }
    ::close(fd);
    if (options.kernel.empty()) {
        return tcg("no guest kernel to probe KVM with");
    }
    // The same CPU model as a KVM domain gets (host-passthrough): some hosts fail only there.
    const auto began = std::chrono::steady_clock::now();
    auto result = runProcess({options.qemu.string(),
                              "-accel",
                              "kvm",
                              "-machine",
                              "pc",
                              "-cpu",
                              "host",
                              "-m",
                              "128",
                              "-smp",
                              "1",
                              "-nodefaults",
                              "-no-user-config",
                              "-display",
                              "none",
                              "-monitor",
                              "none",
                              "-serial",
                              "stdio",
                              "-no-reboot",
                              "-kernel",
                              options.kernel.string(),
                              "-append",
                              "console=ttyS0 panic=-1 loglevel=1"},
                             options.deadline);
    if (!result) {
        return tcg("cannot run " + options.qemu.string() + ": " + result.error().message());
    }
    if (result->output.find(kBootedMarker) != std::string::npos) {
        return {Accelerator::Kvm, "KVM booted a probe guest", false};
    }
    const auto seconds = std::to_string(options.deadline.count() / 1000);
    if (std::chrono::steady_clock::now() - began >= options.deadline) {
        return tcg("a KVM guest did not boot within " + seconds + " s");
    }
    std::string last = result->output;
    while (!last.empty() && (last.back() == '\n' || last.back() == '\r')) {
        last.pop_back();
    }
    if (const auto newline = last.rfind('\n'); newline != std::string::npos) {
        last = last.substr(newline + 1);
    }
    return tcg("QEMU with KVM exited with code " + std::to_string(result->exitCode) +
               (last.empty() ? std::string() : ": " + last));
}

}  // namespace

std::string_view acceleratorName(Accelerator accel) {
    switch (accel) {
        case Accelerator::Auto:
            return "auto";
        case Accelerator::Kvm:
            return "kvm";
        case Accelerator::Tcg:
            return "tcg";
    }
    return "auto";
}

core::Result<Accelerator> parseAccelerator(std::string_view name) {
    for (const auto accel : {Accelerator::Auto, Accelerator::Kvm, Accelerator::Tcg}) {
        if (name == acceleratorName(accel)) {
            return accel;
        }
    }
    return core::Error(core::ErrorCode::BadRequest,
                       "unknown accelerator '" + std::string(name) + "' (want kvm, tcg or auto)");
}

AcceleratorChoice probeKvm(const KvmProbeOptions& options) {
    const std::string bootId = options.bootId.empty() ? currentBootId() : options.bootId;
    if (auto cached = readCache(options.cacheFile, bootId)) {
        return *cached;
    }
    AcceleratorChoice choice = measure(options);
    writeCache(options.cacheFile, bootId, choice);
    return choice;
}

std::filesystem::path defaultProbeCacheFile() {
    const char* cacheHome = std::getenv("XDG_CACHE_HOME");
    std::filesystem::path base;
    if (cacheHome != nullptr && *cacheHome == '/') {
        base = cacheHome;
    } else {
        const char* home = std::getenv("HOME");
        base = std::filesystem::path(home != nullptr ? home : "/tmp") / ".cache";
    }
    return base / "slipway" / "kvm-probe.json";
}

}  // namespace slipway::vm
