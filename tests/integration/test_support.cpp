// SPDX-License-Identifier: Apache-2.0
#include "test_support.h"

#include <csignal>

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QThread>
#include <QtTest>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/pki/kubeconfig.h"

namespace slipway::testing {

QStringList args(std::initializer_list<const char*> list) {
    QStringList result;
    for (const char* item : list) {
        result << QString::fromUtf8(item);
    }
    return result;
}

QString binary(const QString& name) {
    const QString dir = qEnvironmentVariable("SLIPWAY_BIN_DIR");
    return dir.isEmpty() ? name : dir + QLatin1Char('/') + name;
}

const char* const kHelloPodAndService =
    "apiVersion: v1\n"
    "kind: Pod\n"
    "metadata:\n"
    "  name: hello\n"
    "  labels: {app: hello}\n"
    "spec:\n"
    "  containers:\n"
    "  - name: hello\n"
    "    image: slipway.local/hello:1\n"
    "    ports: [{containerPort: 8080, name: http}]\n"
    "    readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata: {name: hello}\n"
    "spec:\n"
    "  selector: {app: hello}\n"
    "  ports: [{name: web, port: 80, targetPort: http}]\n";

QProcessEnvironment slipwayEnvironment(const QString& home) {
    auto environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_DATA_HOME"), home);
    environment.insert(QStringLiteral("KUBECONFIG"), home + QStringLiteral("/.kube/config"));
    environment.remove(QStringLiteral("SLIPWAY_CLUSTER"));
    return environment;
}

QByteArray httpGet(quint16 port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return {};
    }
    timeval timeout{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QByteArray answer;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
        const char request[] = "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n";
        if (::send(fd, request, sizeof request - 1, MSG_NOSIGNAL) ==
            static_cast<ssize_t>(sizeof request - 1)) {
            char buffer[4096];
            ssize_t got = 0;
            while ((got = ::recv(fd, buffer, sizeof buffer, 0)) > 0) {
                answer.append(buffer, got);
            }
        }
    }
    ::close(fd);
    return answer;
}

bool eventually(const std::function<bool()>& condition, int ms) {
    QDeadlineTimer deadline(ms);
    while (true) {
        if (condition()) {
            return true;
        }
        if (deadline.hasExpired()) {
            return false;
        }
        QTest::qWait(250);
    }
}

CommandResult run(const QString& program, const QStringList& arguments,
                  const QProcessEnvironment& environment, int timeoutMs) {
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(program, arguments);
    CommandResult result;
    if (!process.waitForStarted(10000)) {
        result.err = process.errorString();
        return result;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        result.err = QStringLiteral("timed out");
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

namespace {

client::ClientConfig configFromKubeconfig(const QString& path) {
    const auto kubeconfig = pki::Kubeconfig::load(path.toStdString());
    if (!kubeconfig) {
        qFatal("cannot load %s: %s", qPrintable(path), kubeconfig.error().message().c_str());
    }
    const auto config = client::ClientConfig::fromKubeconfig(*kubeconfig);
    if (!config) {
        qFatal("bad kubeconfig %s: %s", qPrintable(path), config.error().message().c_str());
    }
    return *config;
}

}  // namespace

client::RestClient clientFromKubeconfig(const QString& path) {
    return client::RestClient(configFromKubeconfig(path));
}

client::RestClient SlipwaydServer::client() const {
    return clientFromKubeconfig(kubeconfigPath());
}

std::unique_ptr<client::HttpsClient> SlipwaydServer::apiClient() const {
    return std::make_unique<client::HttpsClient>(configFromKubeconfig(kubeconfigPath()));
}

SlipwaydServer::SlipwaydServer() {
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // If the test itself is killed (a ctest timeout), its server must not outlive it.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
}

SlipwaydServer::~SlipwaydServer() {
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    // A node agent's containers outlive slipwayd (their shims do, by design): a test that
    // ends, fails or loses its server half-way must not leave them running.
    // In the server's own network namespace: the pod network it set up is there.
    if (QFileInfo::exists(dataDir() + QStringLiteral("/agent"))) {
        const QStringList reset{QStringLiteral("reset-node"), QStringLiteral("--data-dir"),
                                dataDir()};
        if (m_netns != nullptr) {
            run(m_netns->program(), m_netns->wrap(binary(QStringLiteral("slipwayd")), reset));
        } else {
            run(binary(QStringLiteral("slipwayd")), reset);
        }
    }
}

QString SlipwaydServer::kubeconfigPath() const {
    return m_dir.filePath(QStringLiteral("kubeconfig"));
}

QString SlipwaydServer::dataDir() const {
    return m_dir.filePath(QStringLiteral("data"));
}

bool SlipwaydServer::start(const QStringList& extraArguments) {
    QFile::remove(kubeconfigPath());  // a restart must not read the previous run's file
    const QStringList arguments = QStringList{QStringLiteral("server"),
                                              QStringLiteral("--data-dir"),
                                              dataDir(),
                                              QStringLiteral("--listen"),
                                              m_listen,
                                              QStringLiteral("--kubeconfig-out"),
                                              kubeconfigPath(),
                                              QStringLiteral("--log-level"),
                                              QStringLiteral("warn")} +
                                  extraArguments;
    if (m_netns != nullptr) {
        m_process.start(m_netns->program(),
                        m_netns->wrap(binary(QStringLiteral("slipwayd")), arguments));
    } else {
        m_process.start(binary(QStringLiteral("slipwayd")), arguments);
    }
    if (!m_process.waitForStarted(10000)) {
        return false;
    }
    // The kubeconfig appears once the port is bound: poll for it, never sleep a fixed time.
    QDeadlineTimer deadline(30000);
    while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
        if (QFileInfo::exists(kubeconfigPath())) {
            const auto config = pki::Kubeconfig::load(kubeconfigPath().toStdString());
            if (config.ok() && !config->clusters.empty()) {
                m_url = QString::fromStdString(config->clusters.front().server);
                return true;
            }
        }
        m_process.waitForFinished(20);
    }
    return false;
}

int SlipwaydServer::terminate(int timeoutMs) {
    m_process.terminate();
    if (!m_process.waitForFinished(timeoutMs)) {
        m_process.kill();
        m_process.waitForFinished(5000);
        return -1;
    }
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

bool Kubectl::installed() {
    return QFileInfo::exists(path());
}

QProcessEnvironment Kubectl::environment() const {
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), m_home.path());
    env.insert(QStringLiteral("KUBECONFIG"), m_kubeconfig);
    env.insert(m_extra);
    return env;
}

CommandResult Kubectl::runKubectl(const QStringList& arguments) const {
    if (m_netns != nullptr) {
        return run(m_netns->program(), m_netns->wrap(path(), arguments), environment());
    }
    return run(path(), arguments, environment());
}

CommandResult Kubectl::operator()(const QStringList& arguments, const QByteArray& input) const {
    if (input.isEmpty()) {
        return runKubectl(arguments);
    }
    QTemporaryFile file;
    if (!file.open() || file.write(input) != input.size() || !file.flush()) {
        return {-1, {}, QStringLiteral("cannot write kubectl's input file")};
    }
    QStringList withFile = arguments;
    for (auto& argument : withFile) {
        if (argument == QStringLiteral("-")) {
            argument = file.fileName();
        }
    }
    return runKubectl(withFile);
}

nlohmann::json Kubectl::getJson(const QStringList& arguments) const {
    const auto result =
        (*this)(arguments + QStringList{QStringLiteral("-o"), QStringLiteral("json")});
    if (result.exitCode != 0) {
        qWarning("kubectl %s: %s", qPrintable(arguments.join(QLatin1Char(' '))),
                 qPrintable(result.err));
        return {};
    }
    return nlohmann::json::parse(result.out.toStdString(), nullptr, false);
}

std::vector<nlohmann::json> Kubectl::readyPods(const QString& selector) const {
    std::vector<nlohmann::json> ready;
    const auto pods = getJson(
        QStringList{QStringLiteral("get"), QStringLiteral("pods"), QStringLiteral("-l"), selector});
    if (!pods.is_object()) {
        return ready;
    }
    for (const auto& pod : pods.value("items", nlohmann::json::array())) {
        if (pod.contains(nlohmann::json::json_pointer("/metadata/deletionTimestamp"))) {
            continue;
        }
        for (const auto& condition : pod.value("status", nlohmann::json::object())
                                         .value("conditions", nlohmann::json::array())) {
            if (condition.value("type", "") == "Ready" && condition.value("status", "") == "True") {
                ready.push_back(pod);
            }
        }
    }
    return ready;
}

QString Kubectl::fetchFromPod(const QString& pod, const QString& host, int port,
                              const QString& path, int timeoutSeconds) const {
    const QString script =
        QStringLiteral("printf 'GET %1 HTTP/1.0\\r\\nHost: %2\\r\\n\\r\\n' | nc -w %3 %2 %4")
            .arg(path, host)
            .arg(timeoutSeconds)
            .arg(port);
    const auto result = (*this)(QStringList{QStringLiteral("exec"), pod, QStringLiteral("--"),
                                            QStringLiteral("sh"), QStringLiteral("-c"), script});
    if (result.exitCode != 0) {
        qWarning("fetching %s:%d%s from pod %s: exit %d: %s", qPrintable(host), port,
                 qPrintable(path), qPrintable(pod), result.exitCode,
                 qPrintable(result.err.left(400)));
        return {};
    }
    return result.out;
}

}  // namespace slipway::testing
