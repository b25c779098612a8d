// SPDX-License-Identifier: Apache-2.0
#include "vm/kubeconfig_merge.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string_view>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include "engine/core/atomic_file.h"

namespace slipway::vm {
namespace {

using namespace std::chrono_literals;

/// The three lists of a kubeconfig and the key under which each entry keeps its body.
constexpr std::string_view kSections[] = {"clusters", "users", "contexts"};

/// `<target>.lock`, created exclusively, as client-go's LockFile does; removed on destruction.
class FileLock {
public:
    static core::Result<FileLock> acquire(const std::filesystem::path& target) {
        FileLock lock;
        lock.m_path = target;
        lock.m_path += ".lock";
        // A lock left by a crashed writer would block forever: give up after a few seconds
        // and say which file to remove, as kubectl does ("... lock is held by another process").
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        for (;;) {
            const int fd =
                ::open(lock.m_path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
            if (fd >= 0) {
                ::close(fd);
                lock.m_held = true;
                return lock;
            }
            if (errno != EEXIST) {
                return core::Error(core::ErrorCode::Io, "creating " + lock.m_path.string() + ": " +
                                                            std::strerror(errno));
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                return core::Error(core::ErrorCode::Unavailable,
                                   lock.m_path.string() +
                                       " is held by another process (remove it if none is "
                                       "editing the kubeconfig)");
            }
            std::this_thread::sleep_for(20ms);
        }
    }

    FileLock(FileLock&& other) noexcept
        : m_path(std::move(other.m_path)), m_held(std::exchange(other.m_held, false)) {}
    FileLock& operator=(FileLock&&) = delete;
    ~FileLock() {
        if (m_held) {
            ::unlink(m_path.c_str());
        }
    }

private:
    FileLock() = default;
    std::filesystem::path m_path;
    bool m_held = false;
};

core::Result<YAML::Node> loadYaml(const std::filesystem::path& path, bool missingIsEmpty) {
    auto text = core::readFile(path);
    if (!text) {
        if (missingIsEmpty && text.error().code() == core::ErrorCode::NotFound) {
            return YAML::Node(YAML::NodeType::Map);
        }
        return text.error();
    }
    try {
        YAML::Node node = YAML::Load(*text);
        if (node.IsNull()) {
            return YAML::Node(YAML::NodeType::Map);  // an empty file
        }
        if (!node.IsMap()) {
            return core::Error(core::ErrorCode::Invalid,
                               path.string() + ": not a kubeconfig (the document is not a map)");
        }
        return node;
    } catch (const YAML::Exception& e) {
        return core::Error(core::ErrorCode::Invalid, path.string() + ": " + e.what());
    }
}

/// The `name` of a list entry, or empty.
std::string entryName(const YAML::Node& entry) {
    if (!entry.IsMap() || !entry["name"] || !entry["name"].IsScalar()) {
        return {};
    }
    return entry["name"].as<std::string>();
}

/// `list` without its entries named `name`.
YAML::Node withoutEntry(const YAML::Node& list, const std::string& name, bool* removed) {
    YAML::Node kept(YAML::NodeType::Sequence);
    if (list && list.IsSequence()) {
        for (const auto& entry : list) {
            if (entryName(entry) == name) {
                *removed = true;
            } else {
                kept.push_back(entry);
            }
        }
    }
    return kept;
}

core::Result<void> save(const YAML::Node& config, const std::filesystem::path& target) {
    YAML::Emitter out;
    out << config;
    if (!out.good()) {
        return core::Error(core::ErrorCode::Internal,
                           "writing " + target.string() + ": " + out.GetLastError());
    }
    // Keep the user's mode if the file exists (it holds credentials: 0600 otherwise).
    mode_t mode = 0600;
    struct stat st {};
    if (::stat(target.c_str(), &st) == 0) {
        mode = st.st_mode & 07777;
    }
    return core::writeFileAtomically(target, std::string(out.c_str()) + "\n", mode);
}

}  // namespace

std::filesystem::path userKubeconfigPath() {
    if (const char* list = std::getenv("KUBECONFIG"); list != nullptr && *list != '\0') {
        std::filesystem::path last;
        std::stringstream entries{std::string(list)};
        std::string entry;
        while (std::getline(entries, entry, ':')) {
            if (entry.empty()) {
                continue;
            }
            std::error_code ec;
            if (std::filesystem::exists(entry, ec)) {
                return entry;
            }
            last = entry;
        }
        if (!last.empty()) {
            return last;
        }
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        return std::filesystem::path(home) / ".kube" / "config";
    }
    return {};
}

core::Result<void> mergeClusterKubeconfig(const std::filesystem::path& clusterKubeconfig,
                                          const std::string& contextName,
                                          const std::filesystem::path& target, bool makeCurrent) {
    auto source = loadYaml(clusterKubeconfig, false);
    if (!source) {
        return source.error().wrap("reading the cluster's kubeconfig");
    }
    std::error_code ec;
    if (target.has_parent_path()) {
        std::filesystem::create_directories(target.parent_path(), ec);
        if (ec) {
            return core::Error(core::ErrorCode::Io,
                               "creating " + target.parent_path().string() + ": " + ec.message());
        }
    }
    auto lock = FileLock::acquire(target);
    if (!lock) {
        return lock.error();
    }
    auto config = loadYaml(target, true);
    if (!config) {
        return config.error();
    }
    YAML::Node merged = *config;
    if (!merged["apiVersion"]) {
        merged["apiVersion"] = "v1";
        merged["kind"] = "Config";
        merged["preferences"] = YAML::Node(YAML::NodeType::Map);
    }
    for (const auto section : kSections) {
        const std::string key(section);
        bool found = false;
        YAML::Node list = withoutEntry(merged[key], contextName, &found);
        bool copied = false;
        if (const YAML::Node from = (*source)[key]; from && from.IsSequence()) {
            for (const auto& entry : from) {
                if (entryName(entry) == contextName) {
                    list.push_back(YAML::Clone(entry));
                    copied = true;
                }
            }
        }
        if (!copied) {
            return core::Error(core::ErrorCode::Invalid, clusterKubeconfig.string() + " has no " +
                                                             key.substr(0, key.size() - 1) +
                                                             " named \"" + contextName + "\"");
        }
        merged[key] = list;
    }
    if (makeCurrent) {
        merged["current-context"] = contextName;
    }
    return save(merged, target);
}

core::Result<void> removeClusterKubeconfig(const std::string& contextName,
                                           const std::filesystem::path& target) {
    std::error_code ec;
    if (!std::filesystem::exists(target, ec)) {
        return core::success();
    }
    auto lock = FileLock::acquire(target);
    if (!lock) {
        return lock.error();
    }
    auto config = loadYaml(target, true);
    if (!config) {
        return config.error();
    }
    YAML::Node pruned = *config;
    bool changed = false;
    for (const auto section : kSections) {
        const std::string key(section);
        if (pruned[key]) {
            pruned[key] = withoutEntry(pruned[key], contextName, &changed);
        }
    }
    if (const YAML::Node current = pruned["current-context"];
        current && current.IsScalar() && current.as<std::string>() == contextName) {
        pruned["current-context"] = "";
        changed = true;
    }
    return changed ? save(pruned, target) : core::success();
}

}  // namespace slipway::vm
