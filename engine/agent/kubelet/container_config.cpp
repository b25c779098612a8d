// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/kubelet/container_config.h"

#include <fstream>
#include <sstream>

#include "engine/core/go_format.h"
#include "engine/core/quantity.h"

namespace slipway::agent::kubelet {

using nlohmann::json;

namespace {

std::vector<std::string> stringList(const json& object, const char* field) {
    std::vector<std::string> out;
    const auto it = object.find(field);
    if (it != object.end() && it->is_array()) {
        for (const auto& item : *it) {
            if (item.is_string()) {
                out.push_back(item.get<std::string>());
            }
        }
    }
    return out;
}

core::Error configError(std::string message) {
    return core::Error(core::ErrorCode::Invalid, std::move(message));
}

std::string nameSpaceOf(const json& pod) {
    return pod.value("/metadata/namespace"_json_pointer, std::string());
}

}  // namespace

std::string decodeBase64(std::string_view text) {
    static const std::string kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        const auto pos = kAlphabet.find(c);
        if (pos == std::string::npos) {
            continue;  // '=' padding and whitespace
        }
        buffer = (buffer << 6) | static_cast<std::uint32_t>(pos);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

namespace {

/// The key→value map of a ConfigMap (data and binaryData) or Secret (data decoded, stringData).
std::map<std::string, std::string> valuesOf(const json& object, bool secret) {
    std::map<std::string, std::string> values;
    if (const auto data = object.find("data"); data != object.end() && data->is_object()) {
        for (const auto& [key, value] : data->items()) {
            if (value.is_string()) {
                values[key] =
                    secret ? decodeBase64(value.get<std::string>()) : value.get<std::string>();
            }
        }
    }
    if (!secret) {
        if (const auto data = object.find("binaryData");
            data != object.end() && data->is_object()) {
            for (const auto& [key, value] : data->items()) {
                if (value.is_string()) {
                    values[key] = decodeBase64(value.get<std::string>());
                }
            }
        }
    }
    return values;
}

/// A C identifier-ish env name, as the kubelet checks envFrom keys (IsEnvVarName).
bool validEnvName(const std::string& name) {
    if (name.empty() || name == "." || name == ".." || name.starts_with("..")) {
        return false;
    }
    for (char c : name) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) {
            return false;
        }
    }
    return !std::isdigit(static_cast<unsigned char>(name[0]));
}

std::optional<std::string> lookupName(const std::string& file, const std::string& name, int field) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> parts;
        std::stringstream stream(line);
        std::string part;
        while (std::getline(stream, part, ':')) {
            parts.push_back(part);
        }
        if (parts.size() > static_cast<std::size_t>(field) && parts[0] == name) {
            return parts[static_cast<std::size_t>(field)];
        }
    }
    return std::nullopt;
}

std::optional<std::uint32_t> numeric(const std::string& text) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    try {
        return static_cast<std::uint32_t>(std::stoul(text));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<std::int64_t> securityField(const json& pod, const json& container,
                                          const char* field) {
    for (const json* context : {&container, &pod["spec"]}) {
        const auto sc = context->find("securityContext");
        if (sc != context->end() && sc->is_object()) {
            if (const auto it = sc->find(field); it != sc->end() && it->is_number_integer()) {
                return it->get<std::int64_t>();
            }
        }
    }
    return std::nullopt;
}

}  // namespace

std::vector<std::string> containerArgs(const json& container, const images::ImageConfig& image,
                                       const std::map<std::string, std::string>& env) {
    const auto command = stringList(container, "command");
    const auto args = stringList(container, "args");
    std::vector<std::string> argv;
    if (!command.empty()) {
        argv = command;
        argv.insert(argv.end(), args.begin(), args.end());
    } else {
        argv = image.entrypoint;
        const auto& tail = args.empty() ? image.cmd : args;
        argv.insert(argv.end(), tail.begin(), tail.end());
    }
    for (auto& arg : argv) {
        arg = core::expandVariables(arg, env);
    }
    return argv;
}

core::Result<std::string> podFieldValue(const json& pod, const std::string& fieldPath) {
    const auto metadataMap = [&](const char* map,
                                 const std::string& path) -> std::optional<std::string> {
        const std::string prefix = std::string("metadata.") + map + "['";
        if (!path.starts_with(prefix) || !path.ends_with("']")) {
            return std::nullopt;
        }
        const std::string key = path.substr(prefix.size(), path.size() - prefix.size() - 2);
        const json& values = pod["metadata"].value(map, json::object());
        return values.value(key, std::string());
    };
    if (auto label = metadataMap("labels", fieldPath)) {
        return *label;
    }
    if (auto annotation = metadataMap("annotations", fieldPath)) {
        return *annotation;
    }
    static const std::map<std::string, std::string> kPointers = {
        {"metadata.name", "/metadata/name"},
        {"metadata.namespace", "/metadata/namespace"},
        {"metadata.uid", "/metadata/uid"},
        {"spec.nodeName", "/spec/nodeName"},
        {"spec.serviceAccountName", "/spec/serviceAccountName"},
        {"status.hostIP", "/status/hostIP"},
        {"status.podIP", "/status/podIP"},
    };
    if (const auto it = kPointers.find(fieldPath); it != kPointers.end()) {
        return pod.value(json::json_pointer(it->second), std::string());
    }
    if (fieldPath == "status.podIPs" || fieldPath == "status.hostIPs") {
        std::string joined;
        const json ips =
            pod.value("status", json::object())
                .value(fieldPath == "status.podIPs" ? "podIPs" : "hostIPs", json::array());
        for (const auto& ip : ips) {
            joined += (joined.empty() ? "" : ",") + ip.value("ip", std::string());
        }
        return joined;
    }
    if (fieldPath == "metadata.labels" || fieldPath == "metadata.annotations") {
        // The downward API's file format: key="value" lines, sorted.
        const json& values = pod["metadata"].value(
            fieldPath == "metadata.labels" ? "labels" : "annotations", json::object());
        std::string out;
        for (const auto& [key, value] : values.items()) {
            out += key + "=" + core::goQuote(value.get<std::string>()) + "\n";
        }
        return out;
    }
    return configError("unsupported fieldPath: " + fieldPath);
}

core::Result<std::string> resourceFieldValue(const json& container, const json& resourceFieldRef,
                                             const json& nodeAllocatable) {
    const std::string resource = resourceFieldRef.value("resource", std::string());
    const auto dot = resource.find('.');
    if (dot == std::string::npos) {
        return configError("unsupported resource: " + resource);
    }
    const std::string kind = resource.substr(0, dot);  // limits | requests
    const std::string name = resource.substr(dot + 1);
    const json& resources = container.value("resources", json::object());
    json value = resources.value(kind, json::object()).value(name, json());
    if (value.is_null() && kind == "requests") {
        value = resources.value("limits", json::object()).value(name, json());
    }
    if (value.is_null()) {
        value = nodeAllocatable.value(name, json());
    }
    if (value.is_null()) {
        return std::string("0");
    }
    auto quantity = core::Quantity::fromJson(value);
    if (!quantity) {
        return quantity.error();
    }
    auto divisor = core::Quantity::parse(resourceFieldRef.contains("divisor") &&
                                                 resourceFieldRef["divisor"].is_string()
                                             ? resourceFieldRef["divisor"].get<std::string>()
                                             : std::string("1"));
    if (!divisor) {
        return divisor.error();
    }
    // Rounded up, in thousandths so that cpu with divisor 1m works.
    const std::int64_t numerator = quantity->milliValue();
    const std::int64_t denominator = std::max<std::int64_t>(divisor->milliValue(), 1);
    return std::to_string((numerator + denominator - 1) / denominator);
}

core::Result<std::vector<std::pair<std::string, std::string>>> containerEnv(
    const json& pod, const json& container, const images::ImageConfig& image,
    const EnvSources& sources, const std::vector<std::pair<std::string, std::string>>& serviceEnv) {
    std::vector<std::pair<std::string, std::string>> ordered;
    std::map<std::string, std::string> values;
    const auto set = [&](const std::string& name, const std::string& value) {
        if (!values.contains(name)) {
            ordered.emplace_back(name, value);
        } else {
            for (auto& entry : ordered) {
                if (entry.first == name) {
                    entry.second = value;
                }
            }
        }
        values[name] = value;
    };
    for (const auto& [name, value] : serviceEnv) {
        set(name, value);
    }
    for (const auto& entry : image.env) {
        const auto eq = entry.find('=');
        set(entry.substr(0, eq), eq == std::string::npos ? "" : entry.substr(eq + 1));
    }
    const std::string ns = nameSpaceOf(pod);
    const auto fetch = [&](bool secret, const std::string& name,
                           bool optional) -> core::Result<std::optional<json>> {
        const auto& get = secret ? sources.secret : sources.configMap;
        if (!get) {
            return core::Error(core::ErrorCode::Internal, "no source of ConfigMaps or Secrets");
        }
        auto object = get(name);
        if (!object) {
            return object.error();
        }
        if (!*object && !optional) {
            return configError(std::string(secret ? "secret" : "configmap") + " \"" + name +
                               "\" not found");
        }
        return object;
    };

    if (const auto from = container.find("envFrom"); from != container.end() && from->is_array()) {
        for (const auto& source : *from) {
            const std::string prefix = source.value("prefix", std::string());
            for (const bool secret : {false, true}) {
                const char* field = secret ? "secretRef" : "configMapRef";
                const auto ref = source.find(field);
                if (ref == source.end() || !ref->is_object()) {
                    continue;
                }
                auto object =
                    fetch(secret, ref->value("name", std::string()), ref->value("optional", false));
                if (!object) {
                    return object.error();
                }
                if (!*object) {
                    continue;
                }
                for (const auto& [key, value] : valuesOf(**object, secret)) {
                    if (validEnvName(prefix + key)) {
                        set(prefix + key, value);
                    }
                }
            }
        }
    }

    if (const auto env = container.find("env"); env != container.end() && env->is_array()) {
        for (const auto& var : *env) {
            const std::string name = var.value("name", std::string());
            const auto valueFrom = var.find("valueFrom");
            if (valueFrom == var.end() || !valueFrom->is_object()) {
                set(name, core::expandVariables(var.value("value", std::string()), values));
                continue;
            }
            for (const bool secret : {false, true}) {
                const char* field = secret ? "secretKeyRef" : "configMapKeyRef";
                const auto ref = valueFrom->find(field);
                if (ref == valueFrom->end() || !ref->is_object()) {
                    continue;
                }
                const std::string source = ref->value("name", std::string());
                const std::string key = ref->value("key", std::string());
                const bool optional = ref->value("optional", false);
                auto object = fetch(secret, source, optional);
                if (!object) {
                    return object.error();
                }
                if (!*object) {
                    continue;
                }
                const auto all = valuesOf(**object, secret);
                const auto found = all.find(key);
                if (found == all.end()) {
                    if (optional) {
                        continue;
                    }
                    return configError("couldn't find key " + key + " in " +
                                       (secret ? "Secret " : "ConfigMap ") + ns + "/" + source);
                }
                set(name, found->second);
            }
            if (const auto ref = valueFrom->find("fieldRef"); ref != valueFrom->end()) {
                auto value = podFieldValue(pod, ref->value("fieldPath", std::string()));
                if (!value) {
                    return value.error();
                }
                set(name, *value);
            }
            if (const auto ref = valueFrom->find("resourceFieldRef"); ref != valueFrom->end()) {
                auto value = resourceFieldValue(container, *ref, json::object());
                if (!value) {
                    return value.error();
                }
                set(name, *value);
            }
        }
    }
    return ordered;
}

runtime::Resources containerResources(const json& container) {
    runtime::Resources out;
    const json& resources = container.value("resources", json::object());
    const json& limits = resources.value("limits", json::object());
    const json& requests = resources.value("requests", json::object());
    if (limits.contains("memory")) {
        if (auto memory = core::Quantity::fromJson(limits["memory"])) {
            out.memoryLimitBytes = memory->value();
        }
    }
    if (limits.contains("cpu")) {
        if (auto cpu = core::Quantity::fromJson(limits["cpu"])) {
            // kube's milliCPUToQuota: quota = milli * period / 1000, at least 1 ms.
            constexpr std::int64_t kPeriod = 100000;
            out.cpuPeriodMicros = static_cast<std::uint64_t>(kPeriod);
            out.cpuQuotaMicros = std::max<std::int64_t>(cpu->milliValue() * kPeriod / 1000, 1000);
        }
    }
    const json cpuRequest = requests.contains("cpu") ? requests["cpu"]
                            : limits.contains("cpu") ? limits["cpu"]
                                                     : json();
    std::int64_t milli = 0;
    if (!cpuRequest.is_null()) {
        if (auto cpu = core::Quantity::fromJson(cpuRequest)) {
            milli = cpu->milliValue();
        }
    }
    // kube's milliCPUToShares: 1024 per CPU, at least 2.
    out.cpuShares = static_cast<std::uint64_t>(std::max<std::int64_t>(milli * 1024 / 1000, 2));
    return out;
}

core::Result<UserIds> containerUser(const json& pod, const json& container,
                                    const images::ImageConfig& image, const std::string& rootfs) {
    UserIds ids;
    std::string user = image.user;
    std::string group;
    if (const auto colon = user.find(':'); colon != std::string::npos) {
        group = user.substr(colon + 1);
        user = user.substr(0, colon);
    }
    if (!user.empty()) {
        if (auto number = numeric(user)) {
            ids.uid = *number;
        } else if (auto uid = lookupName(rootfs + "/etc/passwd", user, 2)) {
            ids.uid = numeric(*uid).value_or(0);
            if (auto gid = lookupName(rootfs + "/etc/passwd", user, 3)) {
                ids.gid = numeric(*gid).value_or(0);
            }
        } else {
            return configError("unable to find user " + user +
                               ": no matching entries in passwd file");
        }
    }
    if (!group.empty()) {
        if (auto number = numeric(group)) {
            ids.gid = *number;
        } else if (auto gid = lookupName(rootfs + "/etc/group", group, 2)) {
            ids.gid = numeric(*gid).value_or(0);
        }
    }
    if (auto uid = securityField(pod, container, "runAsUser")) {
        ids.uid = static_cast<std::uint32_t>(*uid);
    }
    if (auto gid = securityField(pod, container, "runAsGroup")) {
        ids.gid = static_cast<std::uint32_t>(*gid);
    }
    return ids;
}

namespace {

std::string lowerCase(std::string text) {
    for (auto& c : text) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return text;
}

std::string serviceVariableName(std::string name) {
    for (auto& c : name) {
        c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return name;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> serviceEnvironment(
    const json& pod, const std::vector<json>& services) {
    const std::string ns = pod.value("/metadata/namespace"_json_pointer, std::string());
    const bool links = pod.value("/spec/enableServiceLinks"_json_pointer, true);
    std::map<std::string, const json*> visible;  // by name: a namespace's own wins
    for (const auto& service : services) {
        const std::string serviceNs =
            service.value("/metadata/namespace"_json_pointer, std::string());
        const std::string name = service.value("/metadata/name"_json_pointer, std::string());
        const bool master = serviceNs == "default" && name == "kubernetes";
        if (!(links && serviceNs == ns) && !master) {
            continue;
        }
        if (master && serviceNs != ns && visible.contains(name)) {
            continue;
        }
        visible[name] = &service;
    }
    std::vector<std::pair<std::string, std::string>> env;
    for (const auto& [name, servicePtr] : visible) {
        const json& spec = servicePtr->value("spec", json::object());
        const std::string ip = spec.value("clusterIP", "");
        const json ports = spec.value("ports", json::array());
        if (ip.empty() || ip == "None" || spec.value("type", "") == "ExternalName" ||
            ports.empty()) {
            continue;
        }
        const std::string prefix = serviceVariableName(name);
        env.emplace_back(prefix + "_SERVICE_HOST", ip);
        env.emplace_back(prefix + "_SERVICE_PORT", std::to_string(ports[0].value("port", 0)));
        for (const auto& port : ports) {
            if (const std::string portName = port.value("name", ""); !portName.empty()) {
                env.emplace_back(prefix + "_SERVICE_PORT_" + serviceVariableName(portName),
                                 std::to_string(port.value("port", 0)));
            }
        }
        env.emplace_back(prefix + "_PORT", lowerCase(ports[0].value("protocol", "TCP")) + "://" +
                                               ip + ":" +
                                               std::to_string(ports[0].value("port", 0)));
        for (const auto& port : ports) {
            const std::string number = std::to_string(port.value("port", 0));
            const std::string protocol = port.value("protocol", "TCP");
            const std::string lower = lowerCase(protocol);
            const std::string base = prefix + "_PORT_" + number + "_" + protocol;
            env.emplace_back(base, lower + "://" + ip + ":" + number);
            env.emplace_back(base + "_PROTO", lower);
            env.emplace_back(base + "_PORT", number);
            env.emplace_back(base + "_ADDR", ip);
        }
    }
    return env;
}

}  // namespace slipway::agent::kubelet
