// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "engine/agent/streaming/streaming_backend.h"

namespace slipway::testing {

/// A StreamingBackend that runs real host processes instead of containers: exec runs the
/// command with pipes (or a pty), a container's log is the output of a shell script, attach
/// starts the container's "main process" (a shell script) and connects to it. What the
/// protocol carries is real process I/O; only the container is missing.
class HostProcessBackend final : public agent::streaming::StreamingBackend {
public:
    /// The log of `container` of pod `pod`: what `script` (sh -c) prints on stdout, one
    /// log line per output line, timestamped as read. Following ends when the script exits.
    void setLogScript(const std::string& pod, const std::string& container, std::string script);
    /// Logs of this container answer kube's "waiting to start" error.
    void setWaiting(const std::string& pod, const std::string& container, std::string reason);
    /// The process attach connects to, per attach.
    void setAttachScript(const std::string& pod, const std::string& container, std::string script);

    core::Result<std::unique_ptr<agent::streaming::LogSource>> logs(
        const std::string& nameSpace, const std::string& pod, const std::string& container,
        const agent::streaming::LogOptions& options) override;
    core::Result<std::unique_ptr<agent::streaming::ExecSession>> exec(
        const std::string& nameSpace, const std::string& pod, const std::string& container,
        const std::vector<std::string>& command,
        const agent::streaming::ExecOptions& options) override;
    core::Result<std::unique_ptr<agent::streaming::ExecSession>> attach(
        const std::string& nameSpace, const std::string& pod, const std::string& container,
        const agent::streaming::ExecOptions& options) override;
    /// A connection to 127.0.0.1:`port` on the host (every pod shares the host's loopback).
    core::Result<int> portForward(const std::string& nameSpace, const std::string& pod,
                                  std::uint16_t port) override;

private:
    std::mutex m_mutex;
    std::map<std::string, std::string> m_logScripts;
    std::map<std::string, std::string> m_waiting;
    std::map<std::string, std::string> m_attachScripts;
};

}  // namespace slipway::testing
