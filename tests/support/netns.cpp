// SPDX-License-Identifier: Apache-2.0
#include "tests/support/netns.h"

#include <atomic>

#include <QFileInfo>
#include <unistd.h>

#include "tests/integration/test_support.h"

namespace slipway::testing {

namespace {

CommandResult runIp(const QStringList& arguments) {
    return run(QStringLiteral("/usr/sbin/ip"), arguments, QProcessEnvironment::systemEnvironment(),
               30000);
}

std::atomic<int> g_sequence{0};

}  // namespace

bool NetworkNamespace::available() {
    return ::geteuid() == 0 && QFileInfo::exists(QStringLiteral("/usr/sbin/ip"));
}

NetworkNamespace::NetworkNamespace()
    : m_name(QStringLiteral("slipway-t%1-%2").arg(::getpid()).arg(g_sequence++)) {
    if (!available()) {
        m_error = QStringLiteral("network namespaces need root and iproute2");
        return;
    }
    const auto added = runIp({QStringLiteral("netns"), QStringLiteral("add"), m_name});
    if (added.exitCode != 0) {
        m_error = QStringLiteral("ip netns add %1: %2").arg(m_name, added.err);
        return;
    }
    m_ok = true;
    if (exec(QStringLiteral("ip link set lo up")) != 0) {
        m_error = QStringLiteral("cannot bring up lo in %1").arg(m_name);
        m_ok = false;
    }
}

NetworkNamespace::~NetworkNamespace() {
    if (!m_name.isEmpty() && available()) {
        runIp({QStringLiteral("netns"), QStringLiteral("delete"), m_name});
    }
}

bool NetworkNamespace::addDummy(const QString& name, const QString& cidr) {
    return exec(QStringLiteral("ip link add %1 type veth peer name %1p && "
                               "ip addr add %2 dev %1 && ip link set %1p up && ip link set %1 up")
                    .arg(name, cidr)) == 0;
}

int NetworkNamespace::exec(const QString& command, QString* out) const {
    const auto ran = runIp({QStringLiteral("netns"), QStringLiteral("exec"), m_name,
                            QStringLiteral("/bin/sh"), QStringLiteral("-c"), command});
    if (out != nullptr) {
        *out = ran.out;
    }
    return ran.exitCode;
}

QStringList NetworkNamespace::wrap(const QString& program, const QStringList& arguments) const {
    return QStringList{QStringLiteral("--net=") + path(), QStringLiteral("--"), program} +
           arguments;
}

}  // namespace slipway::testing
