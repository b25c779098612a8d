// SPDX-License-Identifier: Apache-2.0
// The libvirt wrapper's lifecycle on libvirt's in-process test driver (no daemon needed).
#include <QtTest>

#include "vm/libvirt_connection.h"

using namespace slipway;

namespace {

constexpr const char* kDomainXml = R"(<domain type='test'>
  <name>slipway-lifecycle-test</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
</domain>)";

}  // namespace

class TstLibvirtConnection : public QObject {
    Q_OBJECT
private slots:
    void defineStartStateDestroyUndefine() {
        auto connection = vm::LibvirtConnection::open("test:///default");
        QVERIFY2(connection.ok(), connection.ok() ? "" : connection.error().message().c_str());
        QCOMPARE(connection->uri(), std::string("test:///default"));

        auto domain = connection->defineDomain(kDomainXml);
        QVERIFY2(domain.ok(), domain.ok() ? "" : domain.error().message().c_str());
        QCOMPARE(domain->name(), std::string("slipway-lifecycle-test"));
        QVERIFY(*domain->state() == vm::DomainState::Shutoff);

        QVERIFY(domain->start().ok());
        QVERIFY(*domain->state() == vm::DomainState::Running);

        QVERIFY(domain->destroy().ok());
        QVERIFY(*domain->state() == vm::DomainState::Shutoff);
        // Destroying a stopped domain is success: lifecycle calls are idempotent.
        QVERIFY(domain->destroy().ok());

        QVERIFY(domain->undefine().ok());
        const auto gone = connection->lookupDomain("slipway-lifecycle-test");
        QVERIFY(!gone.ok());
        QCOMPARE(gone.error().code(), core::ErrorCode::NotFound);
    }

    void startingARunningDomainIsAnErrorWithLibvirtsMessage() {
        auto connection = vm::LibvirtConnection::open("test:///default");
        QVERIFY(connection.ok());
        // test:///default ships one running domain, "test".
        auto domain = connection->lookupDomain("test");
        QVERIFY(domain.ok());
        const auto started = domain->start();
        QVERIFY(!started.ok());
        QCOMPARE(started.error().code(), core::ErrorCode::Hypervisor);
        QVERIFY(started.error().message().find("starting domain test") != std::string::npos);
    }

    void badXmlIsRefused() {
        auto connection = vm::LibvirtConnection::open("test:///default");
        QVERIFY(connection.ok());
        const auto domain = connection->defineDomain("<domain>");
        QVERIFY(!domain.ok());
        QVERIFY(domain.error().message().find("defining domain") != std::string::npos);
    }

    void unknownDriverFailsToConnect() {
        const auto connection = vm::LibvirtConnection::open("nosuchdriver:///system");
        QVERIFY(!connection.ok());
        QVERIFY(connection.error().message().find("nosuchdriver:///system") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TstLibvirtConnection)
#include "tst_libvirt_connection.moc"
