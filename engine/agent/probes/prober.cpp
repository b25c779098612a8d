// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/probes/prober.h"

#include <algorithm>
#include <cctype>
#include <map>

#include <unistd.h>

#include "engine/agent/probes/probe_internal.h"
#include "engine/core/go_format.h"

namespace slipway::agent::probes {

const char* probeResultName(ProbeResult result) {
    switch (result) {
        case ProbeResult::Success:
            return "Success";
        case ProbeResult::Warning:
            return "Warning";
        case ProbeResult::Failure:
            return "Failure";
        case ProbeResult::Unknown:
            break;
    }
    return "Unknown";
}

const char* probeTypeName(ProbeType type) {
    switch (type) {
        case ProbeType::Liveness:
            return "Liveness";
        case ProbeType::Readiness:
            return "Readiness";
        case ProbeType::Startup:
            break;
    }
    return "Startup";
}

namespace {

constexpr std::size_t kMaxExecOutput = 10 * 1024;

ProbeOutcome unknown(std::string message) {
    return {ProbeResult::Unknown, std::move(message)};
}

/// The kubelet's extractPort: a number, or the name of one of the container's ports, or a
/// number written as a string.
core::Result<int> extractPort(const nlohmann::json& port, const nlohmann::json& container) {
    int number = -1;
    if (port.is_number_integer()) {
        number = port.get<int>();
    } else if (port.is_string()) {
        const auto name = port.get<std::string>();
        bool found = false;
        if (container.contains("ports") && container["ports"].is_array()) {
            for (const auto& p : container["ports"]) {
                if (p.value("name", std::string()) == name) {
                    number = p.value("containerPort", -1);
                    found = true;
                    break;
                }
            }
        }
        if (!found) {
            const bool numeric = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
                return std::isdigit(static_cast<unsigned char>(c)) != 0;
            });
            if (!numeric || name.size() > 9) {
                return core::Error(core::ErrorCode::Invalid, "port " + name + " not found");
            }
            number = std::stoi(name);
        }
    } else {
        return core::Error(core::ErrorCode::Invalid, "intOrString had no kind: " + port.dump());
    }
    if (number > 0 && number < 65536) {
        return number;
    }
    return core::Error(core::ErrorCode::Invalid, "invalid port number: " + std::to_string(number));
}

ProbeOutcome runExec(const nlohmann::json& action, const ProbeTarget& target,
                     std::chrono::milliseconds timeout) {
    if (!target.exec) {
        return unknown("exec probes are not supported here");
    }
    std::map<std::string, std::string> env;
    if (target.container.contains("env") && target.container["env"].is_array()) {
        for (const auto& e : target.container["env"]) {
            if (e.contains("value") && e["value"].is_string()) {
                env[e.value("name", std::string())] = e["value"].get<std::string>();
            }
        }
    }
    ExecRequest request;
    request.timeout = timeout;
    if (action.contains("command") && action["command"].is_array()) {
        for (const auto& part : action["command"]) {
            if (part.is_string()) {
                request.command.push_back(core::expandVariables(part.get<std::string>(), env));
            }
        }
    }
    auto response = target.exec(request);
    if (!response) {
        return unknown(response.error().message());
    }
    std::string output = std::move(response->output);
    if (output.size() > kMaxExecOutput) {
        output.resize(kMaxExecOutput);
    }
    if (response->timedOut) {
        std::string joined;
        for (const auto& part : request.command) {
            joined += (joined.empty() ? "" : " ") + part;
        }
        return {ProbeResult::Failure, "command " + core::goQuote(joined) + " timed out"};
    }
    return {response->exitCode == 0 ? ProbeResult::Success : ProbeResult::Failure,
            std::move(output)};
}

ProbeOutcome runTcp(const nlohmann::json& action, const ProbeTarget& target,
                    std::chrono::milliseconds timeout) {
    auto port = extractPort(action.value("port", nlohmann::json()), target.container);
    if (!port) {
        return unknown(port.error().message());
    }
    std::string host = action.value("host", std::string());
    if (host.empty()) {
        host = target.podIp;
    }
    auto dialed = detail::dial(target.netnsPath, host, *port, detail::Clock::now() + timeout);
    if (dialed.fd < 0) {
        return {ProbeResult::Failure, dialed.error};
    }
    ::close(dialed.fd);
    return {ProbeResult::Success, {}};
}

ProbeOutcome runHttp(const nlohmann::json& action, const ProbeTarget& target,
                     std::chrono::milliseconds timeout, const ProberOptions& options) {
    auto port = extractPort(action.value("port", nlohmann::json()), target.container);
    if (!port) {
        return unknown(port.error().message());
    }
    detail::HttpProbeRequest request;
    std::string scheme = action.value("scheme", std::string("HTTP"));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (scheme != "http" && scheme != "https") {
        return unknown("unsupported scheme: " + scheme);
    }
    request.scheme = scheme;
    request.host = action.value("host", std::string());
    if (request.host.empty()) {
        request.host = target.podIp;
    }
    request.port = *port;
    request.path = action.value("path", std::string("/"));
    if (request.path.empty() || request.path.front() != '/') {
        request.path.insert(request.path.begin(), '/');
    }
    if (action.contains("httpHeaders") && action["httpHeaders"].is_array()) {
        for (const auto& header : action["httpHeaders"]) {
            request.headers.emplace_back(header.value("name", std::string()),
                                         header.value("value", std::string()));
        }
    }
    request.timeout = timeout;
    return detail::runHttpProbe(request, target.netnsPath, options);
}

}  // namespace

Prober::Prober(ProberOptions options) : m_options(std::move(options)) {}

ProbeOutcome Prober::run(const nlohmann::json& probe, const ProbeTarget& target) const {
    if (!probe.is_object()) {
        return unknown("missing probe handler");
    }
    long long seconds = probe.value("timeoutSeconds", 1LL);
    if (seconds <= 0) {
        seconds = 1;
    }
    const std::chrono::milliseconds timeout{seconds * 1000};
    if (probe.contains("exec") && probe["exec"].is_object()) {
        return runExec(probe["exec"], target, timeout);
    }
    if (probe.contains("httpGet") && probe["httpGet"].is_object()) {
        return runHttp(probe["httpGet"], target, timeout, m_options);
    }
    if (probe.contains("tcpSocket") && probe["tcpSocket"].is_object()) {
        return runTcp(probe["tcpSocket"], target, timeout);
    }
    if (probe.contains("grpc") && probe["grpc"].is_object()) {
        const auto& action = probe["grpc"];
        const int port = action.value("port", 0);
        if (port <= 0 || port >= 65536) {
            return unknown("invalid port number: " + std::to_string(port));
        }
        return detail::runGrpcProbe(target.podIp, port, action.value("service", std::string()),
                                    timeout, target.netnsPath, m_options);
    }
    return unknown("missing probe handler");
}

}  // namespace slipway::agent::probes
