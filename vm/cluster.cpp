// SPDX-License-Identifier: Apache-2.0
#include "vm/cluster.h"

#include <nlohmann/json.hpp>

#include "engine/core/atomic_file.h"

namespace slipway::vm {

std::string_view driverName(DriverKind kind) {
    switch (kind) {
        case DriverKind::Local:
            return "local";
        case DriverKind::Libvirt:
            return "libvirt";
    }
    return "local";
}

core::Result<DriverKind> parseDriver(std::string_view name) {
    if (name == "local") {
        return DriverKind::Local;
    }
    if (name == "libvirt") {
        return DriverKind::Libvirt;
    }
    return core::Error(core::ErrorCode::BadRequest,
                       "unknown driver '" + std::string(name) + "' (want local or libvirt)");
}

std::string_view stateName(ClusterState state) {
    switch (state) {
        case ClusterState::Stopped:
            return "Stopped";
        case ClusterState::Starting:
            return "Starting";
        case ClusterState::Running:
            return "Running";
        case ClusterState::Paused:
            return "Paused";
        case ClusterState::Error:
            return "Error";
    }
    return "Error";
}

core::Result<void> validateClusterName(std::string_view name) {
    const auto invalid = [name](const std::string& why) {
        return core::Error(core::ErrorCode::Invalid,
                           "invalid cluster name '" + std::string(name) + "': " + why);
    };
    if (name.empty()) {
        return invalid("must not be empty");
    }
    if (name.size() > 63) {
        return invalid("must be no more than 63 characters");
    }
    const auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    for (const char c : name) {
        if (!alnum(c) && c != '-') {
            return invalid(
                "must consist of lower case alphanumeric characters or '-' (e.g. 'my-cluster')");
        }
    }
    if (!alnum(name.front()) || !alnum(name.back())) {
        return invalid("must start and end with an alphanumeric character");
    }
    return core::success();
}

std::string contextName(std::string_view clusterName) {
    return clusterName == "slipway" ? std::string("slipway")
                                    : "slipway-" + std::string(clusterName);
}

core::Result<void> saveClusterSpec(const std::filesystem::path& file, const ClusterSpec& spec) {
    const auto created =
        std::chrono::duration_cast<std::chrono::seconds>(spec.createdAt.time_since_epoch());
    const nlohmann::json json = {
        {"name", spec.name},
        {"driver", driverName(spec.driver)},
        {"cpus", spec.cpus},
        {"memoryMiB", spec.memoryMiB},
        {"diskGiB", spec.diskGiB},
        {"nodes", spec.nodes},
        {"apiPort", spec.apiPort},
        {"accel", acceleratorName(spec.accel)},
        {"libvirtUri", spec.libvirtUri},
        {"createdAt", created.count()},
    };
    return core::writeFileAtomically(file, json.dump(2) + "\n");
}

core::Result<ClusterSpec> loadClusterSpec(const std::filesystem::path& file) {
    auto text = core::readFile(file);
    if (!text) {
        return text.error();
    }
    try {
        const auto json = nlohmann::json::parse(*text);
        ClusterSpec spec;
        spec.name = json.at("name").get<std::string>();
        auto driver = parseDriver(json.at("driver").get<std::string>());
        if (!driver) {
            return driver.error().wrap(file.string());
        }
        spec.driver = *driver;
        spec.cpus = json.value("cpus", spec.cpus);
        spec.memoryMiB = json.value("memoryMiB", spec.memoryMiB);
        spec.diskGiB = json.value("diskGiB", spec.diskGiB);
        spec.nodes = json.value("nodes", spec.nodes);
        spec.apiPort = json.value("apiPort", spec.apiPort);
        auto accel = parseAccelerator(json.value("accel", std::string("auto")));
        if (!accel) {
            return accel.error().wrap(file.string());
        }
        spec.accel = *accel;
        spec.libvirtUri = json.value("libvirtUri", std::string());
        spec.createdAt = std::chrono::system_clock::time_point(
            std::chrono::seconds(json.value("createdAt", std::int64_t{0})));
        return spec;
    } catch (const nlohmann::json::exception& e) {
        return core::Error(core::ErrorCode::Invalid, file.string() + ": " + e.what());
    }
}

}  // namespace slipway::vm
