// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/runtime/oci_spec.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <system_error>

#include <sys/resource.h>

namespace slipway::agent::runtime {

using nlohmann::json;

namespace {

std::string normaliseCapability(std::string name) {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (name != "ALL" && !name.starts_with("CAP_")) {
        name = "CAP_" + name;
    }
    return name;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

json mountJson(const std::string& destination, const std::string& type, const std::string& source,
               const std::vector<std::string>& options) {
    return json{
        {"destination", destination}, {"type", type}, {"source", source}, {"options", options}};
}

/// Whether the memory controller accounts swap: then memory+swap is limited to the memory
/// limit, so a container cannot escape its limit into swap (the kubelet's default).
bool swapAccounting() {
    std::error_code ec;
    if (std::filesystem::exists("/sys/fs/cgroup/cgroup.controllers", ec)) {
        return true;  // v2: runc tolerates a missing memory.swap.max for swap == limit
    }
    return std::filesystem::exists("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes", ec);
}

/// Open files: the agent's own hard limit for both, as containers under containerd's CRI
/// inherit it (raising it would need CAP_SYS_RESOURCE, which a nested agent may lack).
json nofileLimit() {
    rlimit limit{};
    std::uint64_t hard = 1048576;
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_max != RLIM_INFINITY) {
        hard = std::min<std::uint64_t>(hard, limit.rlim_max);
    }
    return json{{"type", "RLIMIT_NOFILE"}, {"hard", hard}, {"soft", hard}};
}

}  // namespace

const std::vector<std::string>& defaultCapabilities() {
    static const std::vector<std::string> caps = {
        "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",
        "CAP_MKNOD",   "CAP_NET_RAW",      "CAP_SETGID",           "CAP_SETUID",
        "CAP_SETFCAP", "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
        "CAP_KILL",    "CAP_AUDIT_WRITE",
    };
    return caps;
}

const std::vector<std::string>& allCapabilities() {
    // Linux 5.9+ (CAP_CHECKPOINT_RESTORE is 40); runc 1.1 ignores ones the kernel lacks.
    static const std::vector<std::string> caps = {
        "CAP_CHOWN",
        "CAP_DAC_OVERRIDE",
        "CAP_DAC_READ_SEARCH",
        "CAP_FOWNER",
        "CAP_FSETID",
        "CAP_KILL",
        "CAP_SETGID",
        "CAP_SETUID",
        "CAP_SETPCAP",
        "CAP_LINUX_IMMUTABLE",
        "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST",
        "CAP_NET_ADMIN",
        "CAP_NET_RAW",
        "CAP_IPC_LOCK",
        "CAP_IPC_OWNER",
        "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO",
        "CAP_SYS_CHROOT",
        "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT",
        "CAP_SYS_ADMIN",
        "CAP_SYS_BOOT",
        "CAP_SYS_NICE",
        "CAP_SYS_RESOURCE",
        "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG",
        "CAP_MKNOD",
        "CAP_LEASE",
        "CAP_AUDIT_WRITE",
        "CAP_AUDIT_CONTROL",
        "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE",
        "CAP_MAC_ADMIN",
        "CAP_SYSLOG",
        "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND",
        "CAP_AUDIT_READ",
        "CAP_PERFMON",
        "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    };
    return caps;
}

std::vector<std::string> effectiveCapabilities(const ContainerConfig& config) {
    if (config.privileged) {
        return allCapabilities();
    }
    std::vector<std::string> add, drop;
    for (const auto& name : config.capabilitiesAdd) {
        add.push_back(normaliseCapability(name));
    }
    for (const auto& name : config.capabilitiesDrop) {
        drop.push_back(normaliseCapability(name));
    }
    // As containerd's WithCapabilities: add ALL wins; drop ALL empties the defaults but
    // keeps what is added explicitly.
    if (contains(add, "ALL")) {
        return allCapabilities();
    }
    std::vector<std::string> result;
    if (!contains(drop, "ALL")) {
        for (const auto& cap : defaultCapabilities()) {
            if (!contains(drop, cap)) {
                result.push_back(cap);
            }
        }
    }
    for (const auto& cap : add) {
        if (!contains(result, cap)) {
            result.push_back(cap);
        }
    }
    return result;
}

json ociSpec(const ContainerConfig& config, const std::string& cgroupsPath) {
    const auto caps = effectiveCapabilities(config);
    json user{{"uid", config.uid}, {"gid", config.gid}};
    if (!config.supplementalGroups.empty()) {
        user["additionalGids"] = config.supplementalGroups;
    }
    std::vector<std::string> env = config.env;
    const bool hasPath = std::any_of(env.begin(), env.end(),
                                     [](const std::string& e) { return e.starts_with("PATH="); });
    if (!hasPath) {
        env.insert(env.begin(),
                   "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    }
    if (config.tty) {
        env.push_back("TERM=xterm");
    }
    json process{
        {"terminal", config.tty},
        {"user", user},
        {"args", config.args},
        {"env", env},
        {"cwd", config.cwd.empty() ? std::string("/") : config.cwd},
        {"capabilities", {{"bounding", caps}, {"effective", caps}, {"permitted", caps}}},
        {"rlimits", json::array({nofileLimit()})},
        {"noNewPrivileges", config.noNewPrivileges},
        {"oomScoreAdj", config.oomScoreAdj},
    };

    // The user's mounts replace default ones at the same destination.
    std::set<std::string> userDestinations;
    for (const auto& mount : config.mounts) {
        userDestinations.insert(mount.destination);
    }
    json mounts = json::array();
    auto addDefault = [&](json mount) {
        if (!userDestinations.contains(mount["destination"].get<std::string>())) {
            mounts.push_back(std::move(mount));
        }
    };
    addDefault(mountJson("/proc", "proc", "proc", {"nosuid", "noexec", "nodev"}));
    addDefault(
        mountJson("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}));
    addDefault(
        mountJson("/dev/pts", "devpts", "devpts",
                  {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}));
    addDefault(mountJson("/dev/shm", "tmpfs", "shm",
                         {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}));
    addDefault(mountJson("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}));
    addDefault(mountJson("/sys", "sysfs", "sysfs",
                         {"nosuid", "noexec", "nodev", config.privileged ? "rw" : "ro"}));
    addDefault(
        mountJson("/sys/fs/cgroup", "cgroup", "cgroup",
                  {"nosuid", "noexec", "nodev", "relatime", config.privileged ? "rw" : "ro"}));
    for (const auto& mount : config.mounts) {
        std::vector<std::string> options;
        if (mount.type == "bind") {
            options = {"rbind", "rprivate"};
        }
        for (const auto& option : mount.options) {
            if (!contains(options, option)) {
                options.push_back(option);
            }
        }
        if (mount.readOnly && !contains(options, "ro")) {
            options.push_back("ro");
        }
        mounts.push_back(mountJson(mount.destination, mount.type,
                                   mount.source.empty() ? mount.type : mount.source, options));
    }

    json namespaces = json::array({json{{"type", "pid"}}, json{{"type", "ipc"}},
                                   json{{"type", "uts"}}, json{{"type", "mount"}}});
    if (config.sandbox.empty()) {
        namespaces.push_back(json{{"type", "network"}});
    } else {
        namespaces.push_back(json{{"type", "network"}, {"path", config.sandbox}});
    }

    json resources{
        {"devices", json::array({json{{"allow", config.privileged}, {"access", "rwm"}}})}};
    const auto& r = config.resources;
    if (r.memoryLimitBytes) {
        json memory{{"limit", *r.memoryLimitBytes}};
        if (swapAccounting()) {
            memory["swap"] = *r.memoryLimitBytes;
        }
        resources["memory"] = memory;
    }
    json cpu = json::object();
    if (r.cpuShares) {
        cpu["shares"] = *r.cpuShares;
    }
    if (r.cpuQuotaMicros) {
        cpu["quota"] = *r.cpuQuotaMicros;
    }
    if (r.cpuPeriodMicros) {
        cpu["period"] = *r.cpuPeriodMicros;
    }
    if (!cpu.empty()) {
        resources["cpu"] = cpu;
    }
    if (r.pidsLimit) {
        resources["pids"] = json{{"limit", *r.pidsLimit}};
    }

    json linux{
        {"namespaces", namespaces},
        {"cgroupsPath", cgroupsPath},
        {"resources", resources},
    };
    if (!config.privileged) {
        linux["maskedPaths"] = {"/proc/acpi",        "/proc/asound",        "/proc/kcore",
                                "/proc/keys",        "/proc/latency_stats", "/proc/timer_list",
                                "/proc/timer_stats", "/proc/sched_debug",   "/proc/scsi",
                                "/sys/firmware"};
        linux["readonlyPaths"] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                  "/proc/sysrq-trigger"};
    }

    json spec{
        {"ociVersion", "1.0.2"},
        {"process", process},
        {"root", {{"path", config.rootfs.string()}, {"readonly", config.readonlyRootfs}}},
        {"hostname", config.hostname},
        {"mounts", mounts},
        {"linux", linux},
    };
    json annotations = json::object();
    for (const auto& [key, value] : config.annotations) {
        annotations[key] = value;
    }
    if (!annotations.empty()) {
        spec["annotations"] = annotations;
    }
    return spec;
}

}  // namespace slipway::agent::runtime
