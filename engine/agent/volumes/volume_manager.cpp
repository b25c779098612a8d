// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/volumes/volume_manager.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/core/go_format.h"
#include "engine/core/quantity.h"
#include "engine/core/timestamp.h"

namespace slipway::agent::volumes {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using SystemClock = std::chrono::system_clock;

core::Error failed(std::string message) {
    return core::Error(core::ErrorCode::Invalid, std::move(message));
}

std::string str(const json& object, const char* key) {
    if (!object.is_object()) {
        return {};
    }
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json& member(const json& object, const char* key) {
    static const json kNull;
    if (!object.is_object()) {
        return kNull;
    }
    auto it = object.find(key);
    return it != object.end() ? *it : kNull;
}

/// `value` if it is an object, else an empty object (for iterating optional maps).
const json& objectOr(const json& value) {
    static const json kEmpty = json::object();
    return value.is_object() ? value : kEmpty;
}

/// `value` if it is an array, else an empty array. Not `x.is_array() ? x : json::array()`:
/// that makes a copy, and pointers into it dangle.
const json& arrayOr(const json& value) {
    static const json kEmpty = json::array();
    return value.is_array() ? value : kEmpty;
}

bool flag(const json& object, const char* key) {
    const json& value = member(object, key);
    return value.is_boolean() && value.get<bool>();
}

/// The volume source kinds this manager knows, with their kubelet plugin directories.
struct Plugin {
    const char* field;
    const char* directory;  ///< under volumes/; null when the volume lives elsewhere
};
constexpr Plugin kPlugins[] = {
    {"emptyDir", "kubernetes.io~empty-dir"},  {"configMap", "kubernetes.io~configmap"},
    {"secret", "kubernetes.io~secret"},       {"downwardAPI", "kubernetes.io~downward-api"},
    {"projected", "kubernetes.io~projected"}, {"hostPath", nullptr},
    {"persistentVolumeClaim", nullptr},
};

const Plugin* pluginOf(const json& volume) {
    for (const auto& plugin : kPlugins) {
        if (volume.contains(plugin.field) && volume[plugin.field].is_object()) {
            return &plugin;
        }
    }
    return nullptr;
}

core::Result<std::string> base64Decode(const std::string& text) {
    if (text.empty()) {
        return std::string();
    }
    if (text.size() % 4 != 0) {
        return failed("illegal base64 data");
    }
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) {
        return failed("illegal base64 data");
    }
    std::size_t length = static_cast<std::size_t>(n);
    // EVP_DecodeBlock counts the padding as zero bytes.
    for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) {
        --length;
    }
    out.resize(length);
    return out;
}

unsigned modeOf(const json& value, unsigned fallback) {
    if (value.is_number_integer()) {
        return static_cast<unsigned>(value.get<int>()) & 07777U;
    }
    return fallback;
}

/// The downward API's text of a map: `key="value"` lines in key order (fieldpath.FormatMap).
std::string formatMap(const json& map) {
    std::string out;
    if (map.is_object()) {
        std::vector<std::string> keys;
        for (auto it = map.begin(); it != map.end(); ++it) {
            keys.push_back(it.key());
        }
        std::sort(keys.begin(), keys.end());
        for (const auto& key : keys) {
            const auto& value = map[key];
            out += key + "=" +
                   core::goQuote(value.is_string() ? value.get<std::string>() : value.dump()) +
                   "\n";
        }
    }
    if (!out.empty()) {
        out.pop_back();
    }
    return out;
}

/// metadata.labels['app'] → ("labels", "app").
bool subscript(const std::string& path, const std::string& prefix, std::string& key) {
    const std::string open = prefix + "['";
    if (path.rfind(open, 0) != 0 || path.size() < open.size() + 2 ||
        path.compare(path.size() - 2, 2, "']") != 0) {
        return false;
    }
    key = path.substr(open.size(), path.size() - open.size() - 2);
    return true;
}

core::Result<std::string> fieldRefValue(const json& pod, const json& fieldRef) {
    const std::string path = str(fieldRef, "fieldPath");
    const json& metadata = member(pod, "metadata");
    std::string key;
    if (path == "metadata.name" || path == "metadata.namespace" || path == "metadata.uid") {
        return str(metadata, path.substr(9).c_str());
    }
    if (path == "metadata.labels") {
        return formatMap(member(metadata, "labels"));
    }
    if (path == "metadata.annotations") {
        return formatMap(member(metadata, "annotations"));
    }
    if (subscript(path, "metadata.labels", key)) {
        return str(member(metadata, "labels"), key.c_str());
    }
    if (subscript(path, "metadata.annotations", key)) {
        return str(member(metadata, "annotations"), key.c_str());
    }
    if (path == "spec.nodeName" || path == "spec.serviceAccountName") {
        return str(member(pod, "spec"), path.substr(5).c_str());
    }
    if (path == "status.podIP" || path == "status.hostIP") {
        return str(member(pod, "status"), path.substr(7).c_str());
    }
    return failed("unsupported fieldPath: " + path);
}

/// resourceFieldRef: the container's limit or request divided by the divisor, rounded up. A
/// missing limit falls back to the request (the node's allocatable in the kubelet).
core::Result<std::string> resourceFieldValue(const json& pod, const json& ref,
                                             const std::string& defaultContainer) {
    std::string containerName = str(ref, "containerName");
    if (containerName.empty()) {
        containerName = defaultContainer;
    }
    const std::string resource = str(ref, "resource");
    const json* container = nullptr;
    for (const char* list : {"containers", "initContainers"}) {
        for (const auto& c : arrayOr(member(member(pod, "spec"), list))) {
            if (str(c, "name") == containerName) {
                container = &c;
            }
        }
    }
    if (container == nullptr) {
        return failed("container " + containerName + " not found");
    }
    const auto dot = resource.find('.');
    if (dot == std::string::npos) {
        return failed("unsupported container resource : " + resource);
    }
    const std::string kind = resource.substr(0, dot);  // limits / requests
    const std::string name = resource.substr(dot + 1);
    const json& resources = member(*container, "resources");
    json quantity = member(member(resources, kind.c_str()), name.c_str());
    if (quantity.is_null() && kind == "limits") {
        quantity = member(member(resources, "requests"), name.c_str());
    }
    auto amount = quantity.is_null() ? core::Result<core::Quantity>(core::Quantity())
                                     : core::Quantity::fromJson(quantity);
    if (!amount) {
        return amount.error();
    }
    const json& divisorJson = member(ref, "divisor");
    auto divisor =
        divisorJson.is_null() ? core::Quantity::parse("1") : core::Quantity::fromJson(divisorJson);
    if (!divisor || divisor->isZero()) {
        return failed("invalid divisor");
    }
    // ceil(amount / divisor), exact enough in milli-units for cpu and memory alike.
    const auto numerator = static_cast<long double>(amount->milliValue());
    const auto denominator = static_cast<long double>(divisor->milliValue());
    long double ratio = numerator / denominator;
    auto whole = static_cast<long long>(ratio);
    if (static_cast<long double>(whole) < ratio) {
        ++whole;
    }
    return std::to_string(whole);
}

bool isMountPoint(const fs::path& path) {
    struct stat self {};
    struct stat parent {};
    if (::lstat(path.c_str(), &self) != 0 || ::lstat(path.parent_path().c_str(), &parent) != 0) {
        return false;
    }
    return self.st_dev != parent.st_dev;
}

/// Mount points under `prefix`, deepest first, from /proc/self/mountinfo.
std::vector<std::string> mountsUnder(const fs::path& prefix) {
    std::vector<std::string> found;
    std::ifstream info("/proc/self/mountinfo");
    std::string line;
    const std::string root = prefix.string();
    while (std::getline(info, line)) {
        std::istringstream fields(line);
        std::string id, parent, devices, source, mountPoint;
        fields >> id >> parent >> devices >> source >> mountPoint;
        // Octal escapes (\040 for space) are left as is: our paths have none.
        if (mountPoint == root || mountPoint.rfind(root + "/", 0) == 0) {
            found.push_back(mountPoint);
        }
    }
    std::sort(found.begin(), found.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    return found;
}

struct CachedToken {
    std::string token;
    SystemClock::time_point issued;
    SystemClock::time_point expires;
};

}  // namespace

struct VolumeManager::Impl {
    Impl(fs::path rootDir, const client::Client& apiClient, VolumeManagerOptions managerOptions)
        : root(std::move(rootDir)), client(apiClient), options(std::move(managerOptions)) {}

    fs::path root;
    const client::Client& client;
    VolumeManagerOptions options;
    std::mutex mutex;
    /// podUID/saName/audience/seconds → token, renewed past 80% of its life.
    std::map<std::string, CachedToken> tokens;

    fs::path pluginDir(const std::string& uid, const char* plugin) const {
        return root / "pods" / uid / "volumes" / plugin;
    }

    // ---- sources of projected files ----------------------------------------------------------

    core::Result<json> getObject(const client::ResourceRef& ref) const { return client.get(ref); }

    /// configMap or secret items into `files`. `kind` is "configmap" or "secret".
    core::Result<void> addKeyedSource(const json& pod, const json& source, const char* kind,
                                      unsigned defaultMode,
                                      std::map<std::string, ProjectedFile>& files) const {
        const std::string nameSpace = str(member(pod, "metadata"), "namespace");
        const std::string name = str(source, "name");
        const bool optional = flag(source, "optional");
        const bool isSecret = std::string(kind) == "secret";
        auto ref = (isSecret ? client::resources::secrets() : client::resources::configMaps())
                       .in(nameSpace)
                       .named(name);
        auto object = client.get(ref);
        if (!object) {
            if (object.error().code() == core::ErrorCode::NotFound) {
                if (optional) {
                    return core::success();
                }
                return failed(std::string(kind) + " \"" + name + "\" not found");
            }
            return object.error();
        }
        // key → bytes
        std::map<std::string, std::string> data;
        if (isSecret) {
            for (const auto& [key, value] : objectOr(member(*object, "data")).items()) {
                auto decoded = base64Decode(value.is_string() ? value.get<std::string>() : "");
                if (!decoded) {
                    return decoded.error();
                }
                data[key] = std::move(*decoded);
            }
            for (const auto& [key, value] : objectOr(member(*object, "stringData")).items()) {
                data[key] = value.is_string() ? value.get<std::string>() : value.dump();
            }
        } else {
            for (const auto& [key, value] : objectOr(member(*object, "data")).items()) {
                data[key] = value.is_string() ? value.get<std::string>() : value.dump();
            }
            for (const auto& [key, value] : objectOr(member(*object, "binaryData")).items()) {
                auto decoded = base64Decode(value.is_string() ? value.get<std::string>() : "");
                if (!decoded) {
                    return decoded.error();
                }
                data[key] = std::move(*decoded);
            }
        }
        const json& items = member(source, "items");
        if (!items.is_array() || items.empty()) {
            for (auto& [key, bytes] : data) {
                files[key] = ProjectedFile{bytes, defaultMode};
            }
            return core::success();
        }
        for (const auto& item : items) {
            const std::string key = str(item, "key");
            auto it = data.find(key);
            if (it == data.end()) {
                if (optional) {
                    continue;
                }
                return failed(std::string(kind) + " references non-existent " +
                              (isSecret ? "secret" : "config") + " key: " + key);
            }
            files[str(item, "path")] =
                ProjectedFile{it->second, modeOf(member(item, "mode"), defaultMode)};
        }
        return core::success();
    }

    core::Result<void> addDownwardApi(const json& pod, const json& source, unsigned defaultMode,
                                      std::map<std::string, ProjectedFile>& files) const {
        const json& items = member(source, "items");
        if (!items.is_array()) {
            return core::success();
        }
        std::string firstContainer;
        const json& containers = member(member(pod, "spec"), "containers");
        if (containers.is_array() && !containers.empty()) {
            firstContainer = str(containers[0], "name");
        }
        for (const auto& item : items) {
            core::Result<std::string> value = std::string();
            if (member(item, "fieldRef").is_object()) {
                value = fieldRefValue(pod, item["fieldRef"]);
            } else if (member(item, "resourceFieldRef").is_object()) {
                value = resourceFieldValue(pod, item["resourceFieldRef"], firstContainer);
            }
            if (!value) {
                return value.error();
            }
            files[str(item, "path")] =
                ProjectedFile{std::move(*value), modeOf(member(item, "mode"), defaultMode)};
        }
        return core::success();
    }

    /// A token from the TokenRequest API (serviceaccounts/<sa>/token), cached per pod, service
    /// account, audience and lifetime, renewed past 80% of its life as the kubelet does.
    core::Result<std::string> serviceAccountToken(const json& pod, const json& source) {
        const json& metadata = member(pod, "metadata");
        const std::string nameSpace = str(metadata, "namespace");
        std::string account = str(member(pod, "spec"), "serviceAccountName");
        if (account.empty()) {
            account = "default";
        }
        const std::string audience = str(source, "audience");
        long long seconds = 3600;
        if (member(source, "expirationSeconds").is_number_integer()) {
            seconds = source["expirationSeconds"].get<long long>();
        }
        const std::string key =
            str(metadata, "uid") + "/" + account + "/" + audience + "/" + std::to_string(seconds);
        const auto now = SystemClock::now();
        if (auto it = tokens.find(key); it != tokens.end()) {
            const auto renewAt =
                it->second.issued + (it->second.expires - it->second.issued) * 8 / 10;
            if (now < renewAt) {
                return it->second.token;
            }
        }
        // Bound to the pod, as the kubelet asks: the token dies with it.
        json spec = {{"expirationSeconds", seconds},
                     {"boundObjectRef",
                      {{"apiVersion", "v1"},
                       {"kind", "Pod"},
                       {"name", str(metadata, "name")},
                       {"uid", str(metadata, "uid")}}}};
        if (!audience.empty()) {
            spec["audiences"] = json::array({audience});
        }
        const json request = {
            {"apiVersion", "authentication.k8s.io/v1"}, {"kind", "TokenRequest"}, {"spec", spec}};
        auto ref = client::resources::serviceAccounts().in(nameSpace).named(account).sub("token");
        auto response =
            client.send(client::Request("POST", ref.path(), request.dump(), "application/json"));
        if (!response) {
            return response.error();
        }
        if (auto failure = client::Client::failureOf(*response)) {
            return failed("failed to fetch token: " + failure->message());
        }
        json answer = json::parse(response->body, nullptr, false);
        const std::string token = str(member(answer, "status"), "token");
        if (token.empty()) {
            return failed("failed to fetch token: the answer has no status.token");
        }
        CachedToken cached{token, now, now + std::chrono::seconds(seconds)};
        if (auto expires =
                core::parseTimestamp(str(member(answer, "status"), "expirationTimestamp"))) {
            cached.expires = *expires;
        }
        tokens[key] = cached;
        return token;
    }

    // ---- one volume ------------------------------------------------------------------------

    core::Result<void> setUpVolume(const json& pod, const json& volume) {
        const std::string uid = str(member(pod, "metadata"), "uid");
        const std::string name = str(volume, "name");
        const Plugin* plugin = pluginOf(volume);
        if (plugin == nullptr) {
            return failed("unsupported volume type");
        }
        const std::string field = plugin->field;
        const json& source = volume[plugin->field];
        if (field == "hostPath") {
            return checkHostPath(str(source, "path"), str(source, "type"));
        }
        if (field == "persistentVolumeClaim") {
            auto path = persistentVolumePath(pod, source);
            return path ? core::success() : core::Result<void>(path.error());
        }
        const fs::path dir = pluginDir(uid, plugin->directory) / name;
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec) {
            return failed("mkdir " + dir.string() + ": " + ec.message());
        }
        if (field == "emptyDir") {
            return setUpEmptyDir(dir, source);
        }
        const unsigned defaultMode = modeOf(member(source, "defaultMode"), 0644);
        std::map<std::string, ProjectedFile> files;
        if (field == "configMap") {
            if (auto added = addKeyedSource(pod, source, "configmap", defaultMode, files); !added) {
                return added;
            }
        } else if (field == "secret") {
            json named = source;
            named["name"] = str(source, "secretName");
            if (auto added = addKeyedSource(pod, named, "secret", defaultMode, files); !added) {
                return added;
            }
        } else if (field == "downwardAPI") {
            if (auto added = addDownwardApi(pod, source, defaultMode, files); !added) {
                return added;
            }
        } else if (field == "projected") {
            const json& sources = member(source, "sources");
            for (const auto& projection : arrayOr(sources)) {
                core::Result<void> added;
                if (member(projection, "configMap").is_object()) {
                    added = addKeyedSource(pod, projection["configMap"], "configmap", defaultMode,
                                           files);
                } else if (member(projection, "secret").is_object()) {
                    added = addKeyedSource(pod, projection["secret"], "secret", defaultMode, files);
                } else if (member(projection, "downwardAPI").is_object()) {
                    added = addDownwardApi(pod, projection["downwardAPI"], defaultMode, files);
                } else if (member(projection, "serviceAccountToken").is_object()) {
                    const json& tokenSource = projection["serviceAccountToken"];
                    auto token = serviceAccountToken(pod, tokenSource);
                    if (!token) {
                        return token.error();
                    }
                    files[str(tokenSource, "path")] = ProjectedFile{*token, defaultMode};
                } else {
                    return failed("unsupported projected volume source");
                }
                if (!added) {
                    return added;
                }
            }
        }
        auto written = writeAtomically(dir, files);
        if (!written) {
            return written.error();
        }
        return core::success();
    }

    core::Result<void> setUpEmptyDir(const fs::path& dir, const json& source) {
        ::chmod(dir.c_str(), 0777);
        const std::string medium = str(source, "medium");
        if (medium.empty()) {
            return core::success();
        }
        if (medium != "Memory") {
            return failed("unsupported emptyDir medium: " + medium);
        }
        if (!options.mountTmpfs || ::geteuid() != 0 || isMountPoint(dir)) {
            return core::success();
        }
        std::string data = "mode=0777";
        const json& sizeLimit = member(source, "sizeLimit");
        if (!sizeLimit.is_null()) {
            auto size = core::Quantity::fromJson(sizeLimit);
            if (!size) {
                return size.error();
            }
            if (size->value() > 0) {
                data += ",size=" + std::to_string(size->value());
            }
        }
        if (::mount("tmpfs", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, data.c_str()) != 0) {
            return failed("mount tmpfs on " + dir.string() + ": " + std::strerror(errno));
        }
        return core::success();
    }

    /// The kubelet's hostPath type checks, with its messages.
    static core::Result<void> checkHostPath(const std::string& path, const std::string& type) {
        if (type.empty()) {
            return core::success();
        }
        struct stat info {};
        const bool exists = ::stat(path.c_str(), &info) == 0;
        auto is = [&](mode_t kind) { return exists && (info.st_mode & S_IFMT) == kind; };
        auto notA = [&](const char* what) {
            return failed("hostPath type check failed: " + path + " is not a " + what);
        };
        if (type == "DirectoryOrCreate" || type == "Directory") {
            if (type == "DirectoryOrCreate" && !exists) {
                std::error_code ec;
                fs::create_directories(path, ec);
                if (ec) {
                    return failed("mkdir " + path + ": " + ec.message());
                }
                ::chmod(path.c_str(), 0755);
                return core::success();
            }
            return is(S_IFDIR) ? core::success() : core::Result<void>(notA("directory"));
        }
        if (type == "FileOrCreate" || type == "File") {
            if (type == "FileOrCreate" && !exists) {
                const int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
                if (fd < 0) {
                    return failed("open " + path + ": " + std::strerror(errno));
                }
                ::close(fd);
                return core::success();
            }
            return is(S_IFREG) ? core::success() : core::Result<void>(notA("file"));
        }
        if (type == "Socket") {
            return is(S_IFSOCK) ? core::success() : core::Result<void>(notA("socket file"));
        }
        if (type == "CharDevice") {
            return is(S_IFCHR) ? core::success() : core::Result<void>(notA("character device"));
        }
        if (type == "BlockDevice") {
            return is(S_IFBLK) ? core::success() : core::Result<void>(notA("block device"));
        }
        return failed(type + " is an invalid volume type");
    }

    /// PVC → bound PV → its hostPath or local path.
    core::Result<std::string> persistentVolumePath(const json& pod, const json& source) const {
        const std::string nameSpace = str(member(pod, "metadata"), "namespace");
        const std::string claimName = str(source, "claimName");
        auto claim = client.get(
            client::ResourceRef("", "v1", "persistentvolumeclaims").in(nameSpace).named(claimName));
        if (!claim) {
            if (claim.error().code() == core::ErrorCode::NotFound) {
                return failed("error processing PVC " + nameSpace + "/" + claimName +
                              ": persistentvolumeclaim \"" + claimName + "\" not found");
            }
            return claim.error();
        }
        const std::string phase = str(member(*claim, "status"), "phase");
        const std::string volumeName = str(member(*claim, "spec"), "volumeName");
        if (phase != "Bound" || volumeName.empty()) {
            return failed("PVC " + nameSpace + "/" + claimName + " has non-bound phase (\"" +
                          phase + "\") or empty pvc.Spec.VolumeName (\"" + volumeName + "\")");
        }
        auto volume =
            client.get(client::ResourceRef("", "v1", "persistentvolumes").named(volumeName));
        if (!volume) {
            if (volume.error().code() == core::ErrorCode::NotFound) {
                return failed("error processing PVC " + nameSpace + "/" + claimName +
                              ": persistentvolume \"" + volumeName + "\" not found");
            }
            return volume.error();
        }
        const json& spec = member(*volume, "spec");
        if (member(spec, "hostPath").is_object()) {
            const std::string path = str(spec["hostPath"], "path");
            if (auto checked = checkHostPath(path, str(spec["hostPath"], "type")); !checked) {
                return checked.error();
            }
            return path;
        }
        if (member(spec, "local").is_object()) {
            return str(spec["local"], "path");
        }
        return failed("persistentvolume \"" + volumeName +
                      "\" has a source this node cannot mount (only hostPath and local)");
    }

    fs::path volumePath(const json& pod, const json& volume) const {
        const Plugin* plugin = pluginOf(volume);
        if (plugin == nullptr) {
            return {};
        }
        const json& source = volume[plugin->field];
        if (plugin->directory != nullptr) {
            return pluginDir(str(member(pod, "metadata"), "uid"), plugin->directory) /
                   str(volume, "name");
        }
        if (std::string(plugin->field) == "hostPath") {
            return str(source, "path");
        }
        auto path = persistentVolumePath(pod, source);
        return path ? fs::path(*path) : fs::path();
    }

    std::vector<VolumeFailure> setUpAll(const json& pod) {
        std::lock_guard lock(mutex);
        std::vector<VolumeFailure> failures;
        const json& volumes = member(member(pod, "spec"), "volumes");
        for (const auto& volume : arrayOr(volumes)) {
            auto done = setUpVolume(pod, volume);
            if (!done) {
                const std::string name = str(volume, "name");
                failures.push_back({name, "MountVolume.SetUp failed for volume \"" + name +
                                              "\" : " + done.error().message()});
            }
        }
        return failures;
    }
};

VolumeManager::VolumeManager(fs::path root, const client::Client& client,
                             VolumeManagerOptions options)
    : m_impl(std::make_unique<Impl>(std::move(root), client, std::move(options))) {}

VolumeManager::~VolumeManager() = default;

std::vector<VolumeFailure> VolumeManager::setUp(const json& pod) {
    return m_impl->setUpAll(pod);
}

std::vector<VolumeFailure> VolumeManager::resync(const json& pod) {
    return m_impl->setUpAll(pod);
}

fs::path VolumeManager::podVolumesDir(const std::string& podUid) const {
    return m_impl->root / "pods" / podUid / "volumes";
}

fs::path VolumeManager::volumePath(const json& pod, const std::string& volume) const {
    const json& volumes = member(member(pod, "spec"), "volumes");
    for (const auto& v : arrayOr(volumes)) {
        if (str(v, "name") == volume) {
            return m_impl->volumePath(pod, v);
        }
    }
    return {};
}

core::Result<std::vector<Mount>> VolumeManager::mounts(
    const json& pod, const std::string& containerName,
    const std::map<std::string, std::string>& env) {
    const json& spec = member(pod, "spec");
    const json* container = nullptr;
    for (const char* list : {"containers", "initContainers", "ephemeralContainers"}) {
        const json& entries = member(spec, list);
        for (const auto& c : arrayOr(entries)) {
            if (str(c, "name") == containerName) {
                container = &c;
            }
        }
    }
    if (container == nullptr) {
        return core::Error(core::ErrorCode::NotFound,
                           "container \"" + containerName + "\" not found in pod");
    }
    std::map<std::string, std::string> variables = env;
    if (variables.empty()) {
        const json& entries = member(*container, "env");
        for (const auto& e : arrayOr(entries)) {
            if (member(e, "value").is_string()) {
                variables[str(e, "name")] = e["value"].get<std::string>();
            }
        }
    }
    std::vector<Mount> out;
    const json& volumeMounts = member(*container, "volumeMounts");
    for (const auto& vm : arrayOr(volumeMounts)) {
        const std::string volumeName = str(vm, "name");
        const json* volume = nullptr;
        const json& volumes = member(spec, "volumes");
        for (const auto& v : arrayOr(volumes)) {
            if (str(v, "name") == volumeName) {
                volume = &v;
            }
        }
        if (volume == nullptr) {
            return failed("cannot find volume \"" + volumeName + "\" to mount into container \"" +
                          containerName + "\"");
        }
        const Plugin* plugin = pluginOf(*volume);
        fs::path hostPath = m_impl->volumePath(pod, *volume);
        if (plugin == nullptr || hostPath.empty()) {
            return failed("volume \"" + volumeName + "\" is not set up");
        }
        Mount mount;
        mount.volume = volumeName;
        mount.containerPath = str(vm, "mountPath");
        const std::string field = plugin->field;
        // configMap, secret, downwardAPI and projected volumes are always read-only mounts.
        mount.readOnly =
            flag(vm, "readOnly") || field == "configMap" || field == "secret" ||
            field == "downwardAPI" || field == "projected" ||
            (field == "persistentVolumeClaim" && flag((*volume)[plugin->field], "readOnly"));
        const std::string propagation = str(vm, "mountPropagation");
        mount.propagation = propagation.empty() ? "None" : propagation;

        std::string subPath = str(vm, "subPath");
        if (const std::string expr = str(vm, "subPathExpr"); !expr.empty()) {
            subPath = core::expandVariables(expr, variables);
        }
        if (!subPath.empty()) {
            const std::string prepareFailed = "failed to prepare subPath for volumeMount \"" +
                                              volumeName + "\" of container \"" + containerName +
                                              "\"";
            const fs::path relative(subPath);
            bool traversal = relative.is_absolute();
            for (const auto& part : relative) {
                traversal = traversal || part == "..";
            }
            if (traversal) {
                return failed(prepareFailed + ": subPath \"" + subPath +
                              "\" must be a relative path without '..'");
            }
            std::error_code ec;
            const fs::path base = fs::canonical(hostPath, ec);
            if (ec) {
                return failed(prepareFailed + ": " + ec.message());
            }
            fs::path target = hostPath / relative;
            if (!fs::exists(fs::symlink_status(target, ec))) {
                fs::create_directories(target, ec);
                if (ec) {
                    return failed(prepareFailed + ": " + ec.message());
                }
                ::chmod(target.c_str(), 0777);
            }
            const fs::path resolved = fs::canonical(target, ec);
            if (ec) {
                return failed(prepareFailed + ": " + ec.message());
            }
            const std::string baseText = base.string();
            const std::string resolvedText = resolved.string();
            if (resolvedText != baseText && resolvedText.rfind(baseText + "/", 0) != 0) {
                return failed(prepareFailed + ": subpath \"" + resolvedText +
                              "\" not within volume path \"" + baseText + "\"");
            }
            hostPath = resolved;
        }
        mount.hostPath = hostPath.string();
        out.push_back(std::move(mount));
    }
    return out;
}

core::Result<void> VolumeManager::tearDown(const std::string& podUid) {
    std::lock_guard lock(m_impl->mutex);
    const fs::path podDir = m_impl->root / "pods" / podUid;
    std::error_code canonicalError;
    const fs::path realPodDir = fs::weakly_canonical(podDir, canonicalError);
    for (const auto& mountPoint : mountsUnder(canonicalError ? podDir : realPodDir)) {
        if (::umount2(mountPoint.c_str(), MNT_DETACH) != 0 && errno != EINVAL) {
            return core::Error(core::ErrorCode::Io, "UnmountVolume.TearDown failed: unmount " +
                                                        mountPoint + ": " + std::strerror(errno));
        }
    }
    std::error_code ec;
    fs::remove_all(podVolumesDir(podUid), ec);
    if (ec) {
        return core::Error(core::ErrorCode::Io, "UnmountVolume.TearDown failed: " + ec.message());
    }
    for (auto it = m_impl->tokens.begin(); it != m_impl->tokens.end();) {
        it = it->first.rfind(podUid + "/", 0) == 0 ? m_impl->tokens.erase(it) : std::next(it);
    }
    return core::success();
}

}  // namespace slipway::agent::volumes
