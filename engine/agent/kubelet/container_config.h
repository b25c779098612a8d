// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/agent/images/image_store.h"
#include "engine/agent/runtime/runtime.h"
#include "engine/core/result.h"

namespace slipway::agent::kubelet {

/// The container's argv as the kubelet and the runtime make it: `command` replaces the image's
/// Entrypoint (and then its Cmd is dropped), `args` replaces the image's Cmd; $(VAR) references
/// expand from `env` ($$ escapes, unknown names stay as written).
std::vector<std::string> containerArgs(const nlohmann::json& container,
                                       const images::ImageConfig& image,
                                       const std::map<std::string, std::string>& env);

/// Reads the ConfigMaps and Secrets of the pod's namespace that env and envFrom refer to
/// (nullopt: not found).
struct EnvSources {
    std::function<core::Result<std::optional<nlohmann::json>>(const std::string& name)> configMap;
    std::function<core::Result<std::optional<nlohmann::json>>(const std::string& name)> secret;
};

/// A container's environment as the kubelet builds it, in order of precedence: the image's
/// Env, then envFrom (ConfigMaps and Secrets, with prefix), then env (value with $(VAR)
/// expansion, valueFrom configMapKeyRef / secretKeyRef / fieldRef / resourceFieldRef), later
/// entries replacing earlier ones. `serviceEnv` (Kubernetes service variables) goes first.
/// Errors are the kubelet's CreateContainerConfigError messages: `configmap "x" not found`,
/// `couldn't find key k in ConfigMap default/x`.
core::Result<std::vector<std::pair<std::string, std::string>>> containerEnv(
    const nlohmann::json& pod, const nlohmann::json& container, const images::ImageConfig& image,
    const EnvSources& sources,
    const std::vector<std::pair<std::string, std::string>>& serviceEnv = {});

/// The Docker-links-style variables the kubelet gives every container for the Services it may
/// see: those of the pod's namespace when spec.enableServiceLinks (default true), and always
/// the master Service default/kubernetes. Per Service NAME (upper-cased, '-' → '_') with a
/// cluster IP: NAME_SERVICE_HOST, NAME_SERVICE_PORT (the first port), NAME_SERVICE_PORT_<PORT
/// NAME> for named ports, NAME_PORT=tcp://IP:PORT, and NAME_PORT_<port>_<PROTO>{,_PROTO,_PORT,
/// _ADDR}. Headless and ExternalName Services give none. Sorted by Service name.
std::vector<std::pair<std::string, std::string>> serviceEnvironment(
    const nlohmann::json& pod, const std::vector<nlohmann::json>& services);

/// Base64 (RFC 4648, as Secrets' data) decoded; characters outside the alphabet are skipped.
std::string decodeBase64(std::string_view text);

/// The downward API value of a fieldRef fieldPath: metadata.name, metadata.namespace,
/// metadata.uid, metadata.labels['k'], metadata.annotations['k'], spec.nodeName,
/// spec.serviceAccountName, status.hostIP, status.podIP, status.podIPs. Error for others.
core::Result<std::string> podFieldValue(const nlohmann::json& pod, const std::string& fieldPath);

/// A resourceFieldRef value (limits.cpu, requests.memory, ...) divided by `divisor` and rounded
/// up, as the kubelet writes it; a missing limit falls back to `nodeAllocatable`.
core::Result<std::string> resourceFieldValue(const nlohmann::json& container,
                                             const nlohmann::json& resourceFieldRef,
                                             const nlohmann::json& nodeAllocatable);

/// The cgroup limits of the container's resources: limits.memory → memory limit, limits.cpu →
/// CFS quota over a 100 ms period, requests.cpu → shares (kube's milliCPUToShares, min 2).
runtime::Resources containerResources(const nlohmann::json& container);

/// uid/gid from securityContext (container over pod) or else the image's User when numeric
/// ("1000", "1000:1000"), names looked up in the rootfs' /etc/passwd and /etc/group.
struct UserIds {
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
};
core::Result<UserIds> containerUser(const nlohmann::json& pod, const nlohmann::json& container,
                                    const images::ImageConfig& image, const std::string& rootfs);

}  // namespace slipway::agent::kubelet
