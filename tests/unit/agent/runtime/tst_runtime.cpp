// SPDX-License-Identifier: Apache-2.0
// Real containers on runc (root only): a busybox rootfs the test builds, the shim from this
// build, a runc state root and network namespaces in temporary directories.
#include <csignal>
#include <fstream>
#include <set>
#include <sstream>

#include <QtTest>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/agent/logs/cri_log.h"
#include "engine/agent/runtime/runtime.h"

using namespace slipway::agent::runtime;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace logs = slipway::agent::logs;

namespace {

std::string readAll(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

ino_t inodeOf(const fs::path& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

/// Reads what a descriptor offers within `timeout` until `done` says enough or it ends.
template <typename Done>
std::string readUntil(int fd, std::chrono::milliseconds timeout, Done&& done) {
    std::string text;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buffer[4096];
    while (!done(text) && std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) {
            continue;
        }
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0) {
            break;
        }
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
}

}  // namespace

class TstRuntime : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    fs::path m_root;
    fs::path m_rootfs;
    std::string m_cgroupParent;
    std::unique_ptr<Runtime> m_runtime;
    std::set<std::string> m_sandboxes;
    int m_counter = 0;

    RuntimeOptions options() const {
        RuntimeOptions o;
        o.root = m_root;
        o.shimPath = SLIPWAY_SHIM_PATH;
        o.netnsDir = m_root / "netns";
        o.cgroupParent = m_cgroupParent;
        return o;
    }

    ContainerConfig config(std::vector<std::string> args) {
        ContainerConfig c;
        c.id = "c" + std::to_string(++m_counter);
        c.podUid = "uid-" + std::to_string(m_counter);
        c.podName = "pod-" + std::to_string(m_counter);
        c.podNamespace = "default";
        c.containerName = "main";
        c.rootfs = m_rootfs;
        c.args = std::move(args);
        c.hostname = c.podName;
        c.logPath = logs::containerLogPath(m_root, c.podNamespace, c.podName, c.podUid,
                                           c.containerName, c.restartCount);
        return c;
    }

    /// Creates and starts; fails the test if either fails.
    bool run(const ContainerConfig& c) {
        auto created = m_runtime->createContainer(c);
        if (!created) {
            qWarning("create: %s", created.error().message().c_str());
            return false;
        }
        auto started = m_runtime->startContainer(c.id);
        if (!started) {
            qWarning("start: %s", started.error().message().c_str());
            return false;
        }
        return true;
    }

    ContainerStatus waitExited(const std::string& id, std::chrono::milliseconds timeout = 20s) {
        auto status = m_runtime->waitContainer(id, timeout);
        if (!status) {
            qWarning("wait: %s", status.error().message().c_str());
            return {};
        }
        return *status;
    }

private slots:
    void initTestCase() {
        if (::geteuid() != 0) {
            QSKIP("runs containers with runc: needs root");
        }
        if (!fs::exists("/usr/bin/runc") || !fs::exists("/bin/busybox")) {
            QSKIP("needs /usr/bin/runc and /bin/busybox");
        }
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_root = m_dir->path().toStdString();
        m_rootfs = m_root / "rootfs";
        for (const char* dir : {"bin", "proc", "dev", "sys", "tmp", "etc", "root"}) {
            fs::create_directories(m_rootfs / dir);
        }
        fs::copy_file("/bin/busybox", m_rootfs / "bin/busybox");
        QProcess list;
        list.start(QStringLiteral("/bin/busybox"), {QStringLiteral("--list")});
        QVERIFY(list.waitForFinished());
        for (const auto& name : QString::fromUtf8(list.readAllStandardOutput()).split('\n')) {
            if (!name.isEmpty() && name != QStringLiteral("busybox")) {
                fs::create_symlink("busybox", m_rootfs / "bin" / name.toStdString());
            }
        }
        std::ofstream(m_rootfs / "etc/passwd") << "root:x:0:0:root:/root:/bin/sh\n";
        m_cgroupParent = "/slipway-test-" + std::to_string(::getpid());
        m_runtime = std::make_unique<Runtime>(options());
    }

    void cleanup() {
        if (!m_runtime) {
            return;
        }
        for (const auto& status : m_runtime->listContainers()) {
            QVERIFY(m_runtime->removeContainer(status.config.id).ok());
        }
        for (const auto& id : m_sandboxes) {
            QVERIFY(m_runtime->removeSandbox(id).ok());
        }
        m_sandboxes.clear();
    }

    void cleanupTestCase() {
        cleanup();
        if (!m_cgroupParent.empty()) {
            // Every pod cgroup went with its last container: only the parent is left.
            std::error_code ec;
            for (const auto& entry : fs::directory_iterator("/sys/fs/cgroup", ec)) {
                const fs::path parent = entry.path().string() + m_cgroupParent;
                for (const auto& pod : fs::directory_iterator(parent, ec)) {
                    if (pod.is_directory()) {
                        QVERIFY2(::rmdir(pod.path().c_str()) != 0, pod.path().c_str());
                    }
                }
                ::rmdir(parent.c_str());
            }
        }
    }

    void outputLandsInTheCriLog() {
        auto c = config({"sh", "-c", "echo to stdout; echo to stderr >&2"});
        QVERIFY(run(c));
        const auto status = waitExited(c.id);
        QCOMPARE(status.state, ContainerState::Exited);
        QCOMPARE(status.exitCode, 0);
        QCOMPARE(status.reason, std::string("Completed"));
        QVERIFY(status.startedAt && status.finishedAt);
        QVERIFY(*status.finishedAt >= *status.startedAt);
        const std::string log = readAll(c.logPath);
        QVERIFY2(log.find(" stdout F to stdout\n") != std::string::npos, log.c_str());
        QVERIFY2(log.find(" stderr F to stderr\n") != std::string::npos, log.c_str());
        std::string read;
        QVERIFY(logs::CriLogReader::read(c.logPath, {}, [&](std::string_view chunk) {
                    read.append(chunk);
                    return true;
                }).ok());
        QVERIFY(read.find("to stdout\n") != std::string::npos);
    }

    void aPromptShowsUpAsAPartialLine() {
        auto c = config({"sh", "-c", "printf 'prompt> '; sleep 1000"});
        QVERIFY(run(c));
        QTRY_VERIFY_WITH_TIMEOUT(
            readAll(c.logPath).find(" stdout P prompt> \n") != std::string::npos, 5000);
    }

    void theShimRotatesTheLog() {
        RuntimeOptions small = options();
        small.logMaxSizeBytes = 2000;
        small.logMaxFiles = 2;
        Runtime runtime(small);
        auto c = config({"seq", "1", "500"});
        QVERIFY(runtime.createContainer(c).ok());
        QVERIFY(runtime.startContainer(c.id).ok());
        QCOMPARE(runtime.waitContainer(c.id, 20s)->exitCode, 0);
        QVERIFY(fs::exists(c.logPath.string() + ".1"));
        QVERIFY(!fs::exists(c.logPath.string() + ".2"));
        QVERIFY(fs::file_size(c.logPath) <= 2000);
        std::string read;
        logs::LogOptions tail;
        tail.tailLines = 2;
        QVERIFY(logs::CriLogReader::read(c.logPath, tail, [&](std::string_view chunk) {
                    read.append(chunk);
                    return true;
                }).ok());
        QCOMPARE(read, std::string("499\n500\n"));
    }

    void nonZeroExitIsError() {
        auto c = config({"sh", "-c", "exit 3"});
        QVERIFY(run(c));
        const auto status = waitExited(c.id);
        QCOMPARE(status.state, ContainerState::Exited);
        QCOMPARE(status.exitCode, 3);
        QCOMPARE(status.signal, 0);
        QCOMPARE(status.reason, std::string("Error"));
        QVERIFY(!status.oomKilled);
    }

    void createdIsNotRunningUntilStarted() {
        auto c = config({"sh", "-c", "exit 0"});
        QVERIFY(m_runtime->createContainer(c).ok());
        auto status = m_runtime->containerStatus(c.id);
        QVERIFY(status.ok());
        QCOMPARE(status->state, ContainerState::Created);
        QVERIFY(status->pid > 0);
        auto again = m_runtime->createContainer(c);
        QVERIFY(!again);
        QCOMPARE(again.error().code(), slipway::core::ErrorCode::AlreadyExists);
        QVERIFY(m_runtime->startContainer(c.id).ok());
        QCOMPARE(waitExited(c.id).reason, std::string("Completed"));
    }

    void removingACreatedContainerLeavesNothing() {
        auto c = config({"sleep", "1000"});
        QVERIFY(m_runtime->createContainer(c).ok());
        const pid_t shimPid = std::stoi(readAll(m_runtime->bundleDir(c.id) / "shim.pid"));
        QVERIFY(m_runtime->removeContainer(c.id).ok());
        QCOMPARE(m_runtime->containerStatus(c.id).error().code(),
                 slipway::core::ErrorCode::NotFound);
        QVERIFY(!fs::exists(m_runtime->bundleDir(c.id)));
        QVERIFY(!fs::exists(m_root / "runc" / c.id));
        // The shim ends (a zombie until init reaps it is ended too).
        QTRY_VERIFY_WITH_TIMEOUT(
            readAll("/proc/" + std::to_string(shimPid) + "/stat").find(") Z") !=
                    std::string::npos ||
                !fs::exists("/proc/" + std::to_string(shimPid)),
            5000);
        QVERIFY(m_runtime->removeContainer(c.id).ok());  // gone is success
    }

    void missingCommandFailsCreateAndLeavesNothing() {
        auto c = config({"no-such-command"});
        auto created = m_runtime->createContainer(c);
        QVERIFY(!created);
        QVERIFY2(created.error().message().find("no-such-command") != std::string::npos,
                 created.error().message().c_str());
        QCOMPARE(m_runtime->containerStatus(c.id).error().code(),
                 slipway::core::ErrorCode::NotFound);
        QVERIFY(!fs::exists(m_runtime->bundleDir(c.id)));
    }

    void runCreatesAndStartsInOneCall() {
        auto c = config({"sh", "-c", "echo ran; exit 5"});
        const auto before = std::chrono::system_clock::now();
        QVERIFY(m_runtime->runContainer(c).ok());
        auto status = m_runtime->containerStatus(c.id);
        QVERIFY(status.ok());
        QVERIFY(status->state == ContainerState::Running ||
                status->state == ContainerState::Exited);
        QVERIFY(status->startedAt && *status->startedAt >= before);
        const auto exited = waitExited(c.id);
        QCOMPARE(exited.state, ContainerState::Exited);
        QCOMPARE(exited.exitCode, 5);
        QTRY_VERIFY_WITH_TIMEOUT(readAll(c.logPath).find(" stdout F ran\n") != std::string::npos,
                                 5000);
        auto again = m_runtime->runContainer(c);
        QVERIFY(!again);
        QCOMPARE(again.error().code(), slipway::core::ErrorCode::AlreadyExists);
    }

    void runWithAMissingCommandLeavesNothing() {
        auto c = config({"no-such-command"});
        auto ran = m_runtime->runContainer(c);
        QVERIFY(!ran);
        QVERIFY2(ran.error().message().find("no-such-command") != std::string::npos,
                 ran.error().message().c_str());
        QCOMPARE(m_runtime->containerStatus(c.id).error().code(),
                 slipway::core::ErrorCode::NotFound);
        QVERIFY(!fs::exists(m_runtime->bundleDir(c.id)));
    }

    void listingByPrefixReadsOnlyThoseContainers() {
        auto a = config({"sleep", "1000"});
        a.id = "prefixpod_a_0";
        auto b = config({"sleep", "1000"});
        b.id = "prefixpod_b_0";
        auto other = config({"sleep", "1000"});
        other.id = "otherpod_a_0";
        for (const auto* c : {&a, &b, &other}) {
            QVERIFY(m_runtime->runContainer(*c).ok());
        }
        std::vector<std::string> ids;
        for (const auto& status : m_runtime->listContainers("prefixpod_")) {
            ids.push_back(status.config.id);
            QCOMPARE(status.state, ContainerState::Running);
        }
        QCOMPARE(ids, (std::vector<std::string>{"prefixpod_a_0", "prefixpod_b_0"}));
        QVERIFY(m_runtime->listContainers().size() >= 3);
    }

    void aReplacedContainerIsReadAgain() {
        // The parsed record is cached; a container removed and made again under the same id
        // (by this runtime or another one on the same root) is seen as it is now.
        auto c = config({"sleep", "1000"});
        c.restartCount = 1;
        QVERIFY(m_runtime->runContainer(c).ok());
        QCOMPARE(m_runtime->containerStatus(c.id)->config.restartCount, 1);
        Runtime other(options());
        QVERIFY(other.removeContainer(c.id).ok());
        c.restartCount = 7;
        QVERIFY(other.runContainer(c).ok());
        auto status = m_runtime->containerStatus(c.id);
        QVERIFY(status.ok());
        QCOMPARE(status->config.restartCount, 7);
        QVERIFY(m_runtime->removeContainer(c.id).ok());
        QCOMPARE(m_runtime->containerStatus(c.id).error().code(),
                 slipway::core::ErrorCode::NotFound);
    }

    void stopEndsAContainerThatHandlesTerm() {
        auto c = config({"sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.1; done"});
        QVERIFY(run(c));
        QTRY_COMPARE_WITH_TIMEOUT(m_runtime->containerStatus(c.id)->state, ContainerState::Running,
                                  5000);
        const auto start = std::chrono::steady_clock::now();
        QVERIFY(m_runtime->stopContainer(c.id, 10s).ok());
        QVERIFY(std::chrono::steady_clock::now() - start < 5s);
        const auto status = *m_runtime->containerStatus(c.id);
        QCOMPARE(status.state, ContainerState::Exited);
        QCOMPARE(status.exitCode, 0);
        QCOMPARE(status.reason, std::string("Completed"));
        // Stopping again is success.
        QVERIFY(m_runtime->stopContainer(c.id, 10s).ok());
    }

    void stopKillsAfterTheGracePeriod() {
        // A plain sleep as the namespace's init ignores SIGTERM (no handler).
        auto c = config({"sleep", "1000"});
        QVERIFY(run(c));
        const auto start = std::chrono::steady_clock::now();
        QVERIFY(m_runtime->stopContainer(c.id, 1s).ok());
        const auto elapsed = std::chrono::steady_clock::now() - start;
        QVERIFY(elapsed >= 1s);
        QVERIFY(elapsed < 10s);
        const auto status = *m_runtime->containerStatus(c.id);
        QCOMPARE(status.state, ContainerState::Exited);
        QCOMPARE(status.signal, SIGKILL);
        QCOMPARE(status.exitCode, 128 + SIGKILL);
        QCOMPARE(status.reason, std::string("Error"));
    }

    void memoryHogIsOomKilled() {
        auto c = config({"dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1"});
        c.resources.memoryLimitBytes = 32 * 1024 * 1024;
        QVERIFY(run(c));
        const auto status = waitExited(c.id);
        QCOMPARE(status.state, ContainerState::Exited);
        QVERIFY(status.oomKilled);
        QCOMPARE(status.reason, std::string("OOMKilled"));
        QCOMPARE(status.exitCode, 137);
    }

    void execReturnsOutputAndExitCode() {
        auto c = config({"sleep", "1000"});
        QVERIFY(run(c));
        auto result =
            m_runtime->execSync(c.id, {"sh", "-c", "echo hi; echo oops >&2; exit 7"}, 10s);
        QVERIFY(result.ok());
        QCOMPARE(result->stdoutText, std::string("hi\n"));
        QCOMPARE(result->stderrText, std::string("oops\n"));
        QCOMPARE(result->exitCode, 7);
        QVERIFY(!result->timedOut);

        auto slow = m_runtime->execSync(c.id, {"sleep", "100"}, 500ms);
        QVERIFY(slow.ok());
        QVERIFY(slow->timedOut);
    }

    void execWithStdinAndATerminal() {
        auto c = config({"sleep", "1000"});
        QVERIFY(run(c));
        ExecOptions cat;
        cat.argv = {"cat"};
        cat.stdin = true;
        auto process = m_runtime->exec(c.id, cat);
        QVERIFY(process.ok());
        QVERIFY(::write((*process)->stdinFd(), "ping\n", 5) == 5);
        (*process)->closeStdin();
        const std::string echoed = readUntil((*process)->stdoutFd(), 10s, [](const std::string& t) {
            return t.find("ping\n") != std::string::npos;
        });
        QCOMPARE(echoed, std::string("ping\n"));
        QCOMPARE((*process)->wait(10s), std::optional<int>(0));

        ExecOptions shell;
        shell.argv = {"sh"};
        shell.tty = true;
        auto tty = m_runtime->exec(c.id, shell);
        QVERIFY(tty.ok());
        QVERIFY((*tty)->stderrFd() < 0);
        const int fd = (*tty)->stdoutFd();
        readUntil(fd, 10s, [](const std::string& t) { return t.find("# ") != std::string::npos; });
        QVERIFY((*tty)->resize(100, 40).ok());
        std::this_thread::sleep_for(200ms);  // runc relays the size on SIGWINCH
        const std::string command = "stty size; exit 3\n";
        QVERIFY(::write((*tty)->stdinFd(), command.data(), command.size()) ==
                static_cast<ssize_t>(command.size()));
        const std::string out = readUntil(
            fd, 10s, [](const std::string& t) { return t.find("40 100") != std::string::npos; });
        QVERIFY2(out.find("40 100") != std::string::npos, out.c_str());
        QCOMPARE((*tty)->wait(10s), std::optional<int>(3));
    }

    void containerJoinsTheSandboxNetwork() {
        auto sandbox = m_runtime->createSandbox("s1", "pod-s1");
        QVERIFY2(sandbox.ok(), sandbox.ok() ? "" : sandbox.error().message().c_str());
        m_sandboxes.insert("s1");
        QVERIFY(m_runtime->sandboxExists("s1"));
        QCOMPARE(*m_runtime->createSandbox("s1", "pod-s1"), *sandbox);  // idempotent

        auto c = config({"sleep", "1000"});
        c.sandbox = sandbox->string();
        c.hostname = "pod-s1";
        QVERIFY(run(c));
        const auto status = *m_runtime->containerStatus(c.id);
        QCOMPARE(status.state, ContainerState::Running);
        const ino_t inside = inodeOf("/proc/" + std::to_string(status.pid) + "/ns/net");
        QVERIFY(inside != 0);
        QCOMPARE(inside, inodeOf(*sandbox));
        QVERIFY(inside != inodeOf("/proc/self/ns/net"));
        // lo is up in there (flags 0x9 = IFF_UP | IFF_LOOPBACK), and the hostname is the pod's.
        auto flags = m_runtime->execSync(c.id, {"cat", "/sys/class/net/lo/flags"}, 10s);
        QVERIFY(flags.ok());
        QCOMPARE(flags->stdoutText, std::string("0x9\n"));
        auto hostname = m_runtime->execSync(c.id, {"hostname"}, 10s);
        QCOMPARE(hostname->stdoutText, std::string("pod-s1\n"));

        QVERIFY(m_runtime->removeContainer(c.id).ok());
        QVERIFY(m_runtime->removeSandbox("s1").ok());
        QVERIFY(!m_runtime->sandboxExists("s1"));
        QVERIFY(!fs::exists(*sandbox));
        QVERIFY(m_runtime->removeSandbox("s1").ok());  // gone is success
        m_sandboxes.erase("s1");
    }

    void statsFromTheCgroup() {
        auto c =
            config({"sh", "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; sleep 1000"});
        c.resources.memoryLimitBytes = 64 * 1024 * 1024;
        QVERIFY(run(c));
        QTRY_VERIFY_WITH_TIMEOUT(m_runtime->stats(c.id)->cpuUsageNanos > 10'000'000, 10000);
        const auto stats = m_runtime->stats(c.id);
        QVERIFY(stats.ok());
        QVERIFY(stats->memoryWorkingSetBytes > 0);
        QVERIFY(stats->memoryUsageBytes >= stats->memoryWorkingSetBytes);
        QVERIFY(stats->memoryUsageBytes < 64 * 1024 * 1024);
    }

    void attachToAContainersStdio() {
        auto c = config({"sh", "-c", "read line; echo got $line; read again; echo $again >&2"});
        c.stdin = true;
        QVERIFY(run(c));
        auto session = m_runtime->attach(c.id);
        QVERIFY2(session.ok(), session.ok() ? "" : session.error().message().c_str());
        QVERIFY((*session)->writeStdin("hello\n").ok());
        std::string out, err;
        QTRY_VERIFY_WITH_TIMEOUT(((*session)->readOutput(out, err), out == "got hello\n"), 10000);
        QVERIFY((*session)->writeStdin("bye\n").ok());
        QTRY_VERIFY_WITH_TIMEOUT(((*session)->readOutput(out, err), err == "bye\n"), 10000);
        QCOMPARE(waitExited(c.id).exitCode, 0);
        const std::string log = readAll(c.logPath);
        QVERIFY(log.find(" stdout F got hello\n") != std::string::npos);
    }

    void attachInputWaitsForASlowReader() {
        // More than a pipe holds, to a container that starts reading only later: the shim
        // keeps it and goes on copying output meanwhile.
        auto c = config({"sh", "-c", "echo waiting; sleep 1; wc -c"});
        c.stdin = true;
        QVERIFY(run(c));
        auto session = m_runtime->attach(c.id);
        QVERIFY(session.ok());
        QVERIFY((*session)->writeStdin(std::string(200000, 'x')).ok());
        QVERIFY((*session)->closeStdin().ok());
        std::string out, err;
        QTRY_VERIFY_WITH_TIMEOUT(
            ((*session)->readOutput(out, err), out.find("200000") != std::string::npos), 10000);
        QCOMPARE(waitExited(c.id).exitCode, 0);
        QVERIFY(readAll(c.logPath).find(" stdout F waiting\n") != std::string::npos);
    }

    void ttyContainerLogsAndResizesThroughAttach() {
        auto c = config({"sh", "-c", "read x; stty size; echo done"});
        c.tty = true;
        c.stdin = true;
        QVERIFY(run(c));
        auto session = m_runtime->attach(c.id);
        QVERIFY(session.ok());
        QVERIFY((*session)->resize(120, 50).ok());
        QVERIFY((*session)->writeStdin("go\n").ok());
        std::string out, err;
        QTRY_VERIFY_WITH_TIMEOUT(
            ((*session)->readOutput(out, err), out.find("done") != std::string::npos), 10000);
        QVERIFY2(out.find("50 120") != std::string::npos, out.c_str());
        QCOMPARE(waitExited(c.id).exitCode, 0);
        // A terminal's output is all stdout, with the terminal's line endings.
        const std::string log = readAll(c.logPath);
        QVERIFY2(log.find(" stdout F 50 120\r\n") != std::string::npos, log.c_str());
        QVERIFY(log.find(" stderr ") == std::string::npos);
    }

    void aNewRuntimeReadoptsRunningContainers() {
        auto c =
            config({"sh", "-c", "while [ ! -f /tmp/stop-readopt ]; do sleep 0.05; done; exit 4"});
        c.restartCount = 2;
        c.labels = {{"io.kubernetes.container.name", "main"}};
        c.image = "slipway.local/busybox:1";
        QVERIFY(run(c));
        const pid_t shimPid = std::stoi(readAll(m_runtime->bundleDir(c.id) / "shim.pid"));
        // The shim is not our child: it outlives the agent that made it.
        const std::string stat = readAll("/proc/" + std::to_string(shimPid) + "/stat");
        const auto afterName = stat.substr(stat.rfind(')') + 4);
        QVERIFY(std::stoi(afterName) != ::getpid());

        m_runtime.reset();                                 // the agent goes away...
        m_runtime = std::make_unique<Runtime>(options());  // ...and a new one starts
        const auto all = m_runtime->listContainers();
        auto it = std::find_if(all.begin(), all.end(),
                               [&](const ContainerStatus& s) { return s.config.id == c.id; });
        QVERIFY(it != all.end());
        QCOMPARE(it->state, ContainerState::Running);
        QCOMPARE(it->config.podUid, c.podUid);
        QCOMPARE(it->config.podName, c.podName);
        QCOMPARE(it->config.containerName, std::string("main"));
        QCOMPARE(it->config.restartCount, 2);
        QCOMPARE(it->config.image, c.image);
        QCOMPARE(it->config.labels, c.labels);
        QCOMPARE(it->config.logPath, c.logPath);
        QVERIFY(it->startedAt.has_value());

        std::ofstream(m_rootfs / "tmp/stop-readopt") << "";
        const auto status = waitExited(c.id);
        fs::remove(m_rootfs / "tmp/stop-readopt");
        QCOMPARE(status.state, ContainerState::Exited);
        QCOMPARE(status.exitCode, 4);
        QCOMPARE(status.reason, std::string("Error"));
    }

    void aContainerWhoseShimIsGoneIsRecordedLost() {
        auto c = config({"sleep", "3600"});
        QVERIFY(run(c));
        const auto bundle = m_runtime->bundleDir(c.id);
        const pid_t shimPid = std::stoi(readAll(bundle / "shim.pid"));
        const pid_t initPid = std::stoi(readAll(bundle / "init.pid"));
        QCOMPARE(m_runtime->recoverLostContainer(c.id)->state, ContainerState::Running);
        // The shim dies without recording an exit, as in a power-off: no longer Running.
        QCOMPARE(::kill(shimPid, SIGKILL), 0);
        QTRY_COMPARE_WITH_TIMEOUT(m_runtime->containerStatus(c.id)->state, ContainerState::Unknown,
                                  10000);
        auto recovered = m_runtime->recoverLostContainer(c.id);
        QVERIFY(recovered.ok());
        QCOMPARE(recovered->state, ContainerState::Exited);
        QCOMPARE(recovered->exitCode, 255);
        QCOMPARE(recovered->reason, std::string("Unknown"));
        QVERIFY(recovered->startedAt.has_value());
        QVERIFY(recovered->finishedAt.has_value());
        // What outlived its shim went with it.
        const auto gone = [](pid_t pid) {
            const std::string stat = readAll("/proc/" + std::to_string(pid) + "/stat");
            const auto close = stat.rfind(')');
            return stat.empty() || (close != std::string::npos && close + 2 < stat.size() &&
                                    stat[close + 2] == 'Z');
        };
        QTRY_VERIFY_WITH_TIMEOUT(gone(initPid), 10000);
        // A new runtime (the agent after a reboot) reads the same from disk.
        Runtime fresh(options());
        auto status = fresh.containerStatus(c.id);
        QVERIFY(status.ok());
        QCOMPARE(status->state, ContainerState::Exited);
        QCOMPARE(status->exitCode, 255);
        QCOMPARE(status->reason, std::string("Unknown"));
        QCOMPARE(status->finishedAt, recovered->finishedAt);
    }

    void aShimOfAnEarlierBootIsGone() {
        auto c = config({"sleep", "3600"});
        QVERIFY(run(c));
        // The agent of the next boot: whatever process has the shim's pid now is not it.
        auto later = options();
        later.bootId = "a-later-boot";
        Runtime next(later);
        auto status = next.containerStatus(c.id);
        QVERIFY(status.ok());
        QCOMPARE(status->state, ContainerState::Unknown);
        QVERIFY2(status->message.find("machine restarted") != std::string::npos,
                 status->message.c_str());
        QCOMPARE(m_runtime->containerStatus(c.id)->state, ContainerState::Running);
    }

    void runcStateWithoutARecordDoesNotBlockTheId() {
        // A power-off right after the container was made: runc's state (synced) reached the
        // disk, our record (not synced) did not.
        auto c = config({"sleep", "3600"});
        QVERIFY(run(c));
        const pid_t shimPid = std::stoi(readAll(m_runtime->bundleDir(c.id) / "shim.pid"));
        QCOMPARE(::kill(shimPid, SIGKILL), 0);
        QVERIFY(m_runtime->signalContainer(c.id, SIGKILL).ok());
        QTRY_COMPARE_WITH_TIMEOUT(m_runtime->containerStatus(c.id)->state, ContainerState::Unknown,
                                  10000);
        fs::remove_all(m_runtime->bundleDir(c.id));
        QVERIFY(fs::exists(m_root / "runc" / c.id));
        auto again = m_runtime->runContainer(c);
        QVERIFY2(again.ok(), again.ok() ? "" : again.error().message().c_str());
        QCOMPARE(m_runtime->containerStatus(c.id)->state, ContainerState::Running);
    }

    void aContainerBeingCreatedIsNotLost() {
        auto c = config({"sleep", "3600"});
        QVERIFY(run(c));
        // A bundle whose shim has not written its pid yet: Unknown, but not recorded as lost.
        const std::string id = c.id + "-creating";
        fs::create_directories(m_runtime->bundleDir(id));
        auto record = nlohmann::json::parse(readAll(m_runtime->bundleDir(c.id) / "container.json"));
        record["config"]["id"] = id;
        std::ofstream(m_runtime->bundleDir(id) / "container.json") << record.dump();
        QCOMPARE(m_runtime->containerStatus(id)->state, ContainerState::Unknown);
        QCOMPARE(m_runtime->recoverLostContainer(id)->state, ContainerState::Unknown);
        QVERIFY(!fs::exists(m_runtime->bundleDir(id) / "exit.json"));
    }
};

QTEST_GUILESS_MAIN(TstRuntime)
#include "tst_runtime.moc"
