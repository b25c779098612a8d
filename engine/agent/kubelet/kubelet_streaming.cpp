// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/kubelet/kubelet_streaming.h"

#include <atomic>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/agent/images/image_store.h"
#include "engine/agent/logs/cri_log.h"
#include "engine/agent/probes/prober.h"
#include "engine/client/indexer.h"

namespace slipway::agent::kubelet {

using nlohmann::json;

namespace {

core::Error badRequest(std::string message) {
    return core::Error(core::ErrorCode::BadRequest, std::move(message));
}

/// A CRI log read by CriLogReader on a thread of its own, handed out a line at a time.
class CriLogSource final : public streaming::LogSource {
public:
    CriLogSource(std::filesystem::path path, const streaming::LogOptions& options,
                 std::function<bool()> finished) {
        logs::LogOptions read;
        read.tailLines = options.tailLines;
        read.sinceTime = options.since;
        read.timestamps = true;  // parsed back into LogLine::timestamp
        read.follow = options.follow;
        m_thread =
            std::thread([this, path = std::move(path), read, finished = std::move(finished)] {
                (void)logs::CriLogReader::read(
                    path, read,
                    [this](std::string_view formatted) {
                        std::unique_lock lock(m_mutex);
                        // A slow client holds the reader back instead of growing the queue.
                        m_space.wait(lock, [this] { return m_queue.size() < 1024 || m_cancel; });
                        if (m_cancel) {
                            return false;
                        }
                        m_queue.emplace_back(formatted);
                        m_ready.notify_one();
                        return true;
                    },
                    &m_cancel, finished);
                std::lock_guard lock(m_mutex);
                m_done = true;
                m_ready.notify_one();
            });
    }
    ~CriLogSource() override {
        {
            std::lock_guard lock(m_mutex);
            m_cancel = true;
        }
        m_space.notify_all();
        m_thread.join();
    }

    Read next(streaming::LogLine& line, std::chrono::milliseconds timeout) override {
        std::unique_lock lock(m_mutex);
        if (!m_ready.wait_for(lock, timeout, [this] { return !m_queue.empty() || m_done; })) {
            return Read::Timeout;
        }
        if (m_queue.empty()) {
            return Read::End;
        }
        std::string formatted = std::move(m_queue.front());
        m_queue.pop_front();
        m_space.notify_one();
        const auto space = formatted.find(' ');
        line.stream = "stdout";
        if (space == std::string::npos) {
            line.timestamp.clear();
            line.content = std::move(formatted);
        } else {
            line.timestamp = formatted.substr(0, space);
            line.content = formatted.substr(space + 1);
        }
        return Read::Line;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::condition_variable m_space;
    std::deque<std::string> m_queue;
    std::atomic<bool> m_cancel{false};
    bool m_done = false;
    std::thread m_thread;
};

/// runc exec, as the streaming server wants it.
class RuntimeExecSession final : public streaming::ExecSession {
public:
    explicit RuntimeExecSession(std::unique_ptr<runtime::ExecProcess> process)
        : m_process(std::move(process)) {}

    int stdinFd() override { return m_process->stdinFd(); }
    void closeStdin() override { m_process->closeStdin(); }
    int stdoutFd() override { return m_process->stdoutFd(); }
    int stderrFd() override { return m_process->stderrFd(); }
    void resize(streaming::TerminalSize size) override {
        (void)m_process->resize(size.width, size.height);
    }
    core::Result<int> wait() override {
        while (true) {
            if (auto code = m_process->wait(std::chrono::seconds(1))) {
                return *code;
            }
        }
    }

private:
    std::unique_ptr<runtime::ExecProcess> m_process;
};

/// Attach: the container's own stdio through its shim, pumped into pipes the streaming server
/// reads and writes.
class RuntimeAttachSession final : public streaming::ExecSession {
public:
    RuntimeAttachSession(runtime::Runtime& runtime, std::string id,
                         std::unique_ptr<runtime::AttachSession> session, bool tty)
        : m_runtime(runtime), m_id(std::move(id)), m_session(std::move(session)), m_tty(tty) {
        int out[2] = {-1, -1};
        int err[2] = {-1, -1};
        int in[2] = {-1, -1};
        (void)::pipe2(out, O_CLOEXEC);
        (void)::pipe2(err, O_CLOEXEC);
        (void)::pipe2(in, O_CLOEXEC);
        m_stdoutRead = out[0];
        m_stdoutWrite = out[1];
        m_stderrRead = err[0];
        m_stderrWrite = err[1];
        m_stdinRead = in[0];
        m_stdinWrite = in[1];
        m_output = std::thread([this] { pumpOutput(); });
        m_input = std::thread([this] { pumpInput(); });
    }
    ~RuntimeAttachSession() override {
        m_stop = true;
        closeFd(m_stdinWrite);
        m_output.join();
        m_input.join();
        for (int* fd :
             {&m_stdoutRead, &m_stdoutWrite, &m_stderrRead, &m_stderrWrite, &m_stdinRead}) {
            closeFd(*fd);
        }
    }

    int stdinFd() override { return m_stdinWrite; }
    void closeStdin() override { closeFd(m_stdinWrite); }
    int stdoutFd() override { return m_stdoutRead; }
    int stderrFd() override { return m_tty ? -1 : m_stderrRead; }
    void resize(streaming::TerminalSize size) override {
        (void)m_session->resize(size.width, size.height);
    }
    core::Result<int> wait() override {
        while (!m_stop) {
            auto status = m_runtime.waitContainer(m_id, std::chrono::seconds(1));
            if (status) {
                if (status->state == runtime::ContainerState::Exited) {
                    return status->exitCode;
                }
                continue;
            }
            if (status.error().code() != core::ErrorCode::Timeout) {
                return status.error();
            }
        }
        return 0;
    }
    void cancel() override { m_stop = true; }

private:
    static void closeFd(int& fd) {
        if (fd >= 0) {
            ::close(fd);
            fd = -1;
        }
    }
    static void writeAll(int fd, const std::string& data) {
        std::size_t done = 0;
        while (done < data.size() && fd >= 0) {
            const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
            if (n <= 0) {
                return;
            }
            done += static_cast<std::size_t>(n);
        }
    }
    void pumpOutput() {
        while (!m_stop) {
            pollfd pfd{m_session->fd(), POLLIN, 0};
            if (::poll(&pfd, 1, 200) <= 0) {
                continue;
            }
            std::string out;
            std::string err;
            const bool more = m_session->readOutput(out, err);
            writeAll(m_stdoutWrite, out);
            writeAll(m_tty ? m_stdoutWrite : m_stderrWrite, err);
            if (!more) {
                break;
            }
        }
        closeFd(m_stdoutWrite);
        closeFd(m_stderrWrite);
    }
    void pumpInput() {
        char buffer[4096];
        while (!m_stop) {
            pollfd pfd{m_stdinRead, POLLIN, 0};
            if (::poll(&pfd, 1, 200) <= 0) {
                continue;
            }
            const ssize_t n = ::read(m_stdinRead, buffer, sizeof buffer);
            if (n <= 0) {
                (void)m_session->closeStdin();
                return;
            }
            (void)m_session->writeStdin(std::string_view(buffer, static_cast<std::size_t>(n)));
        }
    }

    runtime::Runtime& m_runtime;
    std::string m_id;
    std::unique_ptr<runtime::AttachSession> m_session;
    bool m_tty = false;
    std::atomic<bool> m_stop{false};
    int m_stdoutRead = -1;
    int m_stdoutWrite = -1;
    int m_stderrRead = -1;
    int m_stderrWrite = -1;
    int m_stdinRead = -1;
    int m_stdinWrite = -1;
    std::thread m_output;
    std::thread m_input;
};

}  // namespace

core::Result<runtime::ContainerStatus> Kubelet::Streaming::instance(const std::string& nameSpace,
                                                                    const std::string& podName,
                                                                    const std::string& container,
                                                                    bool previous) {
    const client::ObjectPtr pod = m_kubelet.m_podInformer.lister().get(nameSpace, podName);
    if (!pod) {
        return core::Error(core::ErrorCode::NotFound, "pod \"" + podName + "\" not found");
    }
    bool known = false;
    for (const char* list : {"initContainers", "containers"}) {
        for (const auto& spec : (*pod)["spec"].value(list, json::array())) {
            known = known || spec.value("name", "") == container;
        }
    }
    if (!known) {
        return badRequest("container " + container + " is not valid for pod " + podName);
    }
    const std::string uid = client::metadataString(*pod, "uid");
    std::optional<runtime::ContainerStatus> latest;
    std::optional<runtime::ContainerStatus> before;
    for (auto& candidate : m_kubelet.instancesOf(uid)) {
        if (candidate.config.containerName != container) {
            continue;
        }
        if (!latest || candidate.config.restartCount > latest->config.restartCount) {
            before = std::move(latest);
            latest = std::move(candidate);
        } else if (!before || candidate.config.restartCount > before->config.restartCount) {
            before = std::move(candidate);
        }
    }
    if (previous) {
        if (!before) {
            return badRequest("previous terminated container \"" + container + "\" in pod \"" +
                              podName + "\" not found");
        }
        return *before;
    }
    if (!latest) {
        std::string reason = "ContainerCreating";
        for (const char* list : {"initContainerStatuses", "containerStatuses"}) {
            for (const auto& status :
                 pod->value("status", json::object()).value(list, json::array())) {
                if (status.value("name", "") == container) {
                    reason = status.value("/state/waiting/reason"_json_pointer, reason);
                }
            }
        }
        return badRequest("container \"" + container + "\" in pod \"" + podName +
                          "\" is waiting to start: " + reason);
    }
    return *latest;
}

core::Result<std::unique_ptr<streaming::LogSource>> Kubelet::Streaming::logs(
    const std::string& nameSpace, const std::string& pod, const std::string& container,
    const streaming::LogOptions& options) {
    auto found = instance(nameSpace, pod, container, options.previous);
    if (!found) {
        return found.error();
    }
    const std::string id = found->config.id;
    auto& runtime = *m_kubelet.m_runtime;
    std::function<bool()> finished = [&runtime, id] {
        auto status = runtime.containerStatus(id);
        return !status || status->state == runtime::ContainerState::Exited;
    };
    return std::unique_ptr<streaming::LogSource>(
        std::make_unique<CriLogSource>(found->config.logPath, options, std::move(finished)));
}

core::Result<std::unique_ptr<streaming::ExecSession>> Kubelet::Streaming::exec(
    const std::string& nameSpace, const std::string& pod, const std::string& container,
    const std::vector<std::string>& command, const streaming::ExecOptions& options) {
    auto found = instance(nameSpace, pod, container, false);
    if (!found) {
        return found.error();
    }
    if (found->state != runtime::ContainerState::Running) {
        return badRequest("container not found (\"" + container + "\")");
    }
    runtime::ExecOptions exec;
    exec.argv = command;
    exec.tty = options.tty;
    exec.stdin = options.stdin;
    auto process = m_kubelet.m_runtime->exec(found->config.id, exec);
    if (!process) {
        return process.error();
    }
    return std::unique_ptr<streaming::ExecSession>(
        std::make_unique<RuntimeExecSession>(std::move(*process)));
}

core::Result<std::unique_ptr<streaming::ExecSession>> Kubelet::Streaming::attach(
    const std::string& nameSpace, const std::string& pod, const std::string& container,
    const streaming::ExecOptions& options) {
    auto found = instance(nameSpace, pod, container, false);
    if (!found) {
        return found.error();
    }
    if (found->state != runtime::ContainerState::Running) {
        return badRequest("container not found (\"" + container + "\")");
    }
    auto session = m_kubelet.m_runtime->attach(found->config.id);
    if (!session) {
        return session.error();
    }
    return std::unique_ptr<streaming::ExecSession>(std::make_unique<RuntimeAttachSession>(
        *m_kubelet.m_runtime, found->config.id, std::move(*session), options.tty));
}

core::Result<int> Kubelet::Streaming::portForward(const std::string& nameSpace,
                                                  const std::string& podName, std::uint16_t port) {
    const client::ObjectPtr pod = m_kubelet.m_podInformer.lister().get(nameSpace, podName);
    if (!pod) {
        return core::Error(core::ErrorCode::NotFound, "pod \"" + podName + "\" not found");
    }
    const std::string uid = client::metadataString(*pod, "uid");
    auto& runtime = *m_kubelet.m_runtime;
    if (!runtime.sandboxExists(uid)) {
        return badRequest("pod sandbox of \"" + podName + "\" is not ready");
    }
    const std::string netns = runtime.sandboxPath(uid).string();
    auto socket = probes::socketInNamespace(netns, AF_INET);
    if (!socket) {
        return badRequest("failed to execute portforward in network namespace \"" + netns +
                          "\": " + socket.error().message());
    }
    const int fd = *socket;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int error = 0;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        error = errno;
        if (error == EINPROGRESS) {
            // Loopback answers at once; the bound only guards against a stuck namespace.
            pollfd waiting{fd, POLLOUT, 0};
            error = ::poll(&waiting, 1, 10'000) == 1 ? 0 : ETIMEDOUT;
            socklen_t length = sizeof error;
            if (error == 0 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) {
                error = errno;
            }
        }
    }
    if (error != 0) {
        ::close(fd);
        std::string text = std::strerror(error);
        if (!text.empty()) {
            text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
        }
        // containerd's words (its IPv6 attempt has no counterpart: pods have no ::1 listener
        // of their own here).
        return badRequest(
            "failed to connect to localhost:" + std::to_string(port) + " inside namespace \"" +
            netns + "\", IPv4: dial tcp4 127.0.0.1:" + std::to_string(port) + ": connect: " + text);
    }
    return fd;
}

core::Result<nlohmann::json> Kubelet::Streaming::loadImages(const std::filesystem::path& archive) {
    auto loaded = m_kubelet.images().loadArchive(archive);
    if (!loaded) {
        return loaded.error();
    }
    nlohmann::json images = nlohmann::json::array();
    for (const auto& image : *loaded) {
        spdlog::info("loaded image {} ({})", image.id,
                     image.repoTags.empty() ? std::string("untagged") : image.repoTags.front());
        images.push_back({{"id", image.id}, {"repoTags", image.repoTags}});
    }
    return nlohmann::json{{"images", std::move(images)}};
}

std::filesystem::path Kubelet::Streaming::uploadDirectory() const {
    return m_kubelet.images().directory() / "uploads";
}

}  // namespace slipway::agent::kubelet
