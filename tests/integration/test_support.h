// SPDX-License-Identifier: Apache-2.0
// Helpers for tests that run Slipway's real binaries.
#pragma once

#include <functional>
#include <initializer_list>

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <nlohmann/json.hpp>

#include "engine/client/https_client.h"
#include "engine/client/rest_client.h"

#include "tests/support/netns.h"

namespace slipway::testing {

/// Command-line arguments from literals: args({"get", "pods", "-o", "json"}).
QStringList args(std::initializer_list<const char*> list);

/// Polls `condition` until it holds or `ms` of wall-clock time have passed. (QTRY_* count
/// iterations of their step instead, which a kubectl call taking seconds on a loaded machine
/// stretches to many times the timeout.)
bool eventually(const std::function<bool()>& condition, int ms);

/// GET / on 127.0.0.1:port (HTTP/1.0: the server closes when done), waiting at most 10 s for
/// data; the whole answer, empty if the connection failed.
QByteArray httpGet(quint16 port);

/// A built binary: $SLIPWAY_BIN_DIR/<name> (CTest sets it to build/<preset>/bin).
QString binary(const QString& name);

/// The environment a `slipway` command of a test runs in: clusters under `home`
/// (XDG_DATA_HOME) and the user's kubeconfig at `home`/.kube/config (KUBECONFIG), so a test
/// never touches the real user's clusters or kubeconfig; SLIPWAY_CLUSTER unset.
QProcessEnvironment slipwayEnvironment(const QString& home);

/// A Pod `hello` (slipway.local/hello:1, port 8080 named http, ready once it serves) and a
/// Service `hello` (port 80 named web → http): what the port-forward and service tests reach.
extern const char* const kHelloPodAndService;

/// What a finished command printed and returned.
struct CommandResult {
    int exitCode = -1;
    QString out;
    QString err;
};

/// Runs a program to completion (or `timeoutMs`, then kills it) with stdin closed.
CommandResult run(const QString& program, const QStringList& arguments,
                  const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment(),
                  int timeoutMs = 120000);

/// A client for the cluster whose kubeconfig is at `path` (its current context).
client::RestClient clientFromKubeconfig(const QString& path);

/// A `slipwayd server` on a free loopback port with its own temporary data dir.
class SlipwaydServer {
public:
    SlipwaydServer();
    ~SlipwaydServer();

    /// Runs the server inside `ns` (set before start; the namespace must outlive the server).
    /// Its loopback address is then the namespace's own.
    void setNetworkNamespace(const NetworkNamespace* ns) { m_netns = ns; }
    /// Where the API server listens (--listen); default 127.0.0.1:0.
    void setListen(const QString& hostPort) { m_listen = hostPort; }
    /// Starts and waits until the kubeconfig names the bound port; false on failure.
    bool start(const QStringList& extraArguments = {});
    /// SIGTERM and wait; returns the exit code (or -1 if it had to be killed).
    int terminate(int timeoutMs = 15000);

    QString url() const { return m_url; }
    /// A client with the admin credentials of the server's kubeconfig.
    client::RestClient client() const;
    /// A full API client (get, list, watch, create, ...) with the admin credentials.
    std::unique_ptr<client::HttpsClient> apiClient() const;
    QString kubeconfigPath() const;
    QString dataDir() const;
    QProcess& process() { return m_process; }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    QString m_url;
    QString m_listen = QStringLiteral("127.0.0.1:0");
    const NetworkNamespace* m_netns = nullptr;
};

/// The real kubectl (/usr/bin/kubectl) against one cluster, with a HOME of its own so that
/// its discovery cache and config never touch the user's.
class Kubectl {
public:
    /// Talks to the cluster of `kubeconfigPath` (read when a command runs, not now).
    explicit Kubectl(QString kubeconfigPath) : m_kubeconfig(std::move(kubeconfigPath)) {}

    static bool installed();
    static QString path() { return QStringLiteral("/usr/bin/kubectl"); }

    /// The environment kubectl runs with: HOME and KUBECONFIG set, plus setEnvironment's.
    QProcessEnvironment environment() const;
    /// Sets a variable for every later command (KUBE_EDITOR for `kubectl edit`).
    void setEnvironment(const QString& name, const QString& value) { m_extra.insert(name, value); }
    /// Runs every later command inside `ns` (a server started in it is reached there).
    void setNetworkNamespace(const NetworkNamespace* ns) { m_netns = ns; }
    /// Runs kubectl; when `input` is given, it is written to a temporary file and every
    /// argument "-" is replaced by that file's name.
    CommandResult operator()(const QStringList& arguments, const QByteArray& input = {}) const;
    /// Runs `kubectl ARGS -o json` and parses the output; a null json (and a warning) when
    /// kubectl fails.
    nlohmann::json getJson(const QStringList& arguments) const;

    /// The pods matching label `selector` whose Ready condition is True and that are not being
    /// deleted.
    std::vector<nlohmann::json> readyPods(const QString& selector) const;
    /// The HTTP response (headers and body) to `GET path` on host:port, fetched inside `pod`
    /// with busybox nc bounded by `-w` (Debian's static busybox wget crashes on its own -T and
    /// under timeout); empty when the connection fails.
    QString fetchFromPod(const QString& pod, const QString& host, int port,
                         const QString& path = QStringLiteral("/"), int timeoutSeconds = 3) const;

private:
    CommandResult runKubectl(const QStringList& arguments) const;

    QString m_kubeconfig;
    QTemporaryDir m_home;
    QProcessEnvironment m_extra;
    const NetworkNamespace* m_netns = nullptr;
};

}  // namespace slipway::testing
