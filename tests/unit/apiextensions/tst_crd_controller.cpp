// SPDX-License-Identifier: Apache-2.0
// The CRD controller against a real API server in the test process (store, kind registry,
// resource handler, router), reached through the in-process client as slipwayd wires it.
#include <QTemporaryDir>
#include <QtTest>

#include "engine/apiextensions/crd_controller.h"
#include "engine/apiextensions/crd_validation.h"

#include "../client/test_server.h"

using nlohmann::json;
using namespace slipway;

namespace {

const client::ResourceRef kCrds{"apiextensions.k8s.io", "v1", "customresourcedefinitions"};
const client::ResourceRef kWidgets{"example.com", "v1", "widgets"};

json crd(const std::string& plural, const std::string& kind, const std::string& scope) {
    return {{"apiVersion", "apiextensions.k8s.io/v1"},
            {"kind", "CustomResourceDefinition"},
            {"metadata", {{"name", plural + ".example.com"}}},
            {"spec",
             {{"group", "example.com"},
              {"scope", scope},
              {"names", {{"plural", plural}, {"kind", kind}}},
              {"versions",
               {{{"name", "v1"},
                 {"served", true},
                 {"storage", true},
                 {"subresources", {{"status", json::object()}}},
                 {"schema",
                  {{"openAPIV3Schema",
                    {{"type", "object"},
                     {"properties",
                      {{"spec",
                        {{"type", "object"},
                         {"properties",
                          {{"size", {{"type", "integer"}, {"default", 3}}}}}}}}}}}}}}}}}}};
}

/// slipwayd's API server in the test process (store, kind registry, resource handler,
/// router), with the CRD strategy and controller wired as engine/cmd/server_command.cpp wires
/// them.
struct Server {
    explicit Server(const QString& dir)
        : api((QDir().mkpath(dir), std::filesystem::path(dir.toStdString()))),
          client(api.directClient()) {
        if (!api.error().empty()) {
            qFatal("test server: %s", api.error().c_str());
        }
        apiextensions::installCustomResourceDefinitionStrategy(api.registry());
        controller = std::make_unique<apiextensions::CrdController>(*client, api.registry());
    }
    ~Server() { controller->stop(); }

    std::shared_ptr<const api::ResourceType> find(const char* plural) {
        return api.registry().find("example.com", "v1", plural);
    }

    testing::TestServer api;
    std::unique_ptr<client::InProcessClient> client;
    std::unique_ptr<apiextensions::CrdController> controller;
};

json condition(const client::Client& client, const std::string& name, const std::string& type) {
    auto object = client.get(kCrds.named(name));
    if (!object) {
        return nullptr;
    }
    for (const auto& condition : object->value("/status/conditions"_json_pointer, json::array())) {
        if (condition.value("type", "") == type) {
            return condition;
        }
    }
    return nullptr;
}

std::string statusOf(const client::Client& client, const std::string& name,
                     const std::string& type) {
    const json found = condition(client, name, type);
    return found.is_object() ? found.value("status", "") : std::string();
}

/// Starts the controller, creates `definition` and waits until it is Established.
bool establish(Server& server, const json& definition) {
    if (!server.controller->start(std::chrono::seconds(10)) ||
        !server.client->create(kCrds, definition)) {
        return false;
    }
    const std::string name = definition["metadata"]["name"].get<std::string>();
    return QTest::qWaitFor([&] { return statusOf(*server.client, name, "Established") == "True"; },
                           10000);
}

/// Establishes the widgets CRD, creates a Widget "held" with a finalizer of its own, deletes the
/// CRD and waits until the CRD is terminating, held up by that instance.
bool deleteWhileHeld(Server& server) {
    if (!establish(server, crd("widgets", "Widget", "Namespaced")) ||
        !server.client->create(
            kWidgets.in("default"),
            {{"metadata", {{"name", "held"}, {"finalizers", {"example.com/hold"}}}}}) ||
        !server.client->remove(kCrds.named("widgets.example.com"))) {
        return false;
    }
    return QTest::qWaitFor(
        [&] {
            return condition(*server.client, "widgets.example.com", "Terminating")["reason"] ==
                   "InstanceDeletionInProgress";
        },
        10000);
}

}  // namespace

class TstCrdController : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void anAcceptedCrdIsEstablishedAndServed() {
        Server server(m_dir.filePath("established"));
        QVERIFY(establish(server, crd("widgets", "Widget", "Namespaced")));
        const json names = condition(*server.client, "widgets.example.com", "NamesAccepted");
        QCOMPARE(names["status"], json("True"));
        QCOMPARE(names["reason"], json("NoConflicts"));
        QCOMPARE(names["message"], json("no conflicts found"));
        const json established = condition(*server.client, "widgets.example.com", "Established");
        QCOMPARE(established["reason"], json("InitialNamesAccepted"));
        QCOMPARE(established["message"], json("the initial names have been accepted"));
        auto stored = server.client->get(kCrds.named("widgets.example.com"));
        QVERIFY(stored);
        QCOMPARE((*stored)["status"]["acceptedNames"]["kind"], json("Widget"));
        QCOMPARE((*stored)["status"]["acceptedNames"]["listKind"], json("WidgetList"));
        QCOMPARE((*stored)["status"]["storedVersions"], json::array({"v1"}));

        const auto type = server.find("widgets");
        QVERIFY(type);
        QVERIFY(type->namespaced);
        QVERIFY(type->hasSubresource("status"));

        // The custom resource is served, defaulted, with its generation.
        auto created =
            server.client->create(kWidgets.in("default"), {{"apiVersion", "example.com/v1"},
                                                           {"kind", "Widget"},
                                                           {"metadata", {{"name", "w1"}}},
                                                           {"spec", {{"unknown", 1}}}});
        QVERIFY2(created, created ? "" : created.error().message().c_str());
        QCOMPARE((*created)["spec"], json({{"size", 3}}));
        QCOMPARE((*created)["metadata"]["generation"], json(1));
    }

    void aChangedCrdIsServedAsChanged() {
        Server server(m_dir.filePath("changed"));
        QVERIFY(establish(server, crd("widgets", "Widget", "Namespaced")));
        QCOMPARE(server.find("widgets")->columns.size(), std::size_t(2));  // Name, Age
        const json column = {{"name", "Size"}, {"type", "integer"}, {"jsonPath", ".spec.size"}};
        QVERIFY(server.client->patch(
            kCrds.named("widgets.example.com"), client::PatchType::Json,
            json::array({{{"op", "add"},
                          {"path", "/spec/versions/0/additionalPrinterColumns"},
                          {"value", json::array({column})}}})));
        // Name and the CRD's column; the default Age goes once columns are declared.
        QTRY_COMPARE(server.find("widgets")->columns[1].name, std::string("Size"));
        QCOMPARE(server.find("widgets")->columns.size(), std::size_t(2));
        // Still served under the same names, once.
        QCOMPARE(server.api.registry().resources("example.com", "v1").size(), std::size_t(1));
    }

    void conflictingNamesAreNotAccepted() {
        Server server(m_dir.filePath("conflict"));
        QVERIFY(establish(server, crd("widgets", "Widget", "Namespaced")));
        // Only the kind is taken; with several conflicts kube reports the last one it checks
        // (plural, singular, shortNames, kind, listKind).
        json gadgets = crd("gadgets", "Widget", "Namespaced");
        gadgets["spec"]["names"]["singular"] = "gadget";
        gadgets["spec"]["names"]["listKind"] = "GadgetList";
        QVERIFY(server.client->create(kCrds, gadgets));
        QTRY_COMPARE(statusOf(*server.client, "gadgets.example.com", "NamesAccepted"),
                     std::string("False"));
        const json names = condition(*server.client, "gadgets.example.com", "NamesAccepted");
        QCOMPARE(names["reason"], json("KindConflict"));
        QCOMPARE(names["message"], json("\"Widget\" is already in use"));
        const json established = condition(*server.client, "gadgets.example.com", "Established");
        QCOMPARE(established["status"], json("False"));
        QCOMPARE(established["reason"], json("NotAccepted"));
        QCOMPARE(established["message"], json("not all names are accepted"));
        QVERIFY(!server.find("gadgets"));
    }

    void deletionRemovesEveryCustomResourceFirst() {
        Server server(m_dir.filePath("deletion"));
        QVERIFY(establish(server, crd("widgets", "Widget", "Namespaced")));
        for (const char* name : {"a", "b"}) {
            QVERIFY(server.client->create(kWidgets.in("default"), {{"metadata", {{"name", name}}},
                                                                   {"spec", json::object()}}));
        }
        auto deleting = server.client->remove(kCrds.named("widgets.example.com"));
        QVERIFY(deleting);
        // The DELETE answers with the CRD held by the cleanup finalizer.
        QCOMPARE((*deleting)["metadata"]["finalizers"],
                 json::array({"customresourcecleanup.apiextensions.k8s.io"}));
        QTRY_VERIFY(!server.client->get(kCrds.named("widgets.example.com")));
        QVERIFY(!server.find("widgets"));
        QCOMPARE(server.api.store().size(),
                 std::size_t(4));  // the four namespaces only: no Widget is left in the store
    }

    void aCustomResourceWithAFinalizerHoldsTheCrd() {
        Server server(m_dir.filePath("held"));
        QVERIFY(deleteWhileHeld(server));
        const json terminating = condition(*server.client, "widgets.example.com", "Terminating");
        QCOMPARE(terminating["message"], json("CustomResource deletion is in progress"));
        // The instance waits for its finalizer; meanwhile no new instance may be created.
        const auto deleting = [&server] {
            auto held = server.client->get(kWidgets.in("default").named("held"));
            return held && held->contains("/metadata/deletionTimestamp"_json_pointer);
        };
        QTRY_VERIFY(deleting());
        auto refused =
            server.client->create(kWidgets.in("default"), {{"metadata", {{"name", "late"}}}});
        QVERIFY(!refused);
        QCOMPARE(refused.error().code(), core::ErrorCode::MethodNotAllowed);
        QVERIFY(server.client->get(kCrds.named("widgets.example.com")));

        QVERIFY(server.client->patch(kWidgets.in("default").named("held"), client::PatchType::Merge,
                                     {{"metadata", {{"finalizers", nullptr}}}}));
        QTRY_VERIFY_WITH_TIMEOUT(!server.client->get(kCrds.named("widgets.example.com")), 30000);
        QVERIFY(!server.find("widgets"));
    }

    void aTerminatingCrdFinishesAfterARestart() {
        const QString dir = m_dir.filePath("terminating-restart");
        {
            Server server(dir);
            QVERIFY(deleteWhileHeld(server));
        }
        Server restarted(dir);
        QVERIFY(restarted.controller->start(std::chrono::seconds(10)));
        // Served again, so that the instance can be released and deleted.
        QVERIFY(restarted.client->patch(kWidgets.in("default").named("held"),
                                        client::PatchType::Merge,
                                        {{"metadata", {{"finalizers", nullptr}}}}));
        QTRY_VERIFY_WITH_TIMEOUT(!restarted.client->get(kCrds.named("widgets.example.com")), 30000);
        QCOMPARE(restarted.api.store().size(), std::size_t(4));  // the namespaces only
    }

    void storedCrdsAreServedOnceStartReturns() {
        const QString dir = m_dir.filePath("restart");
        {
            Server server(dir);
            QVERIFY(establish(server, crd("widgets", "Widget", "Cluster")));
        }
        Server restarted(dir);
        QVERIFY(!restarted.find("widgets"));
        QVERIFY(restarted.controller->start(std::chrono::seconds(10)));
        const auto type = restarted.find("widgets");
        QVERIFY(type);
        QVERIFY(!type->namespaced);
        const auto schemas = restarted.controller->schemas();
        QCOMPARE(schemas.size(), std::size_t(1));
        QCOMPARE(schemas[0].kind, std::string("Widget"));
        QCOMPARE(schemas[0].openAPIV3Schema["type"], json("object"));
    }
};

QTEST_GUILESS_MAIN(TstCrdController)
#include "tst_crd_controller.moc"
