// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/apiserver/request_info.h"

using namespace slipway;
using apiserver::parseRequestInfo;

class TstRequestInfo : public QObject {
    Q_OBJECT
private slots:
    void readsResourceRequests_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("watch");
        QTest::addColumn<QString>("verb");
        QTest::addColumn<QString>("group");
        QTest::addColumn<QString>("version");
        QTest::addColumn<QString>("nameSpace");
        QTest::addColumn<QString>("resource");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("subresource");
        QTest::newRow("list pods") << "GET"
                                   << "/api/v1/namespaces/default/pods" << false << "list"
                                   << ""
                                   << "v1"
                                   << "default"
                                   << "pods"
                                   << ""
                                   << "";
        QTest::newRow("all namespaces") << "GET"
                                        << "/api/v1/pods" << false << "list"
                                        << ""
                                        << "v1"
                                        << ""
                                        << "pods"
                                        << ""
                                        << "";
        QTest::newRow("watch") << "GET"
                               << "/api/v1/namespaces/a/pods" << true << "watch"
                               << ""
                               << "v1"
                               << "a"
                               << "pods"
                               << ""
                               << "";
        QTest::newRow("get deployment")
            << "GET"
            << "/apis/apps/v1/namespaces/a/deployments/web" << false << "get"
            << "apps"
            << "v1"
            << "a"
            << "deployments"
            << "web"
            << "";
        QTest::newRow("scale") << "PATCH"
                               << "/apis/apps/v1/namespaces/a/deployments/web/scale" << false
                               << "patch"
                               << "apps"
                               << "v1"
                               << "a"
                               << "deployments"
                               << "web"
                               << "scale";
        QTest::newRow("namespaces") << "POST"
                                    << "/api/v1/namespaces" << false << "create"
                                    << ""
                                    << "v1"
                                    << ""
                                    << "namespaces"
                                    << ""
                                    << "";
        QTest::newRow("one namespace") << "DELETE"
                                       << "/api/v1/namespaces/dev" << false << "delete"
                                       << ""
                                       << "v1"
                                       << ""
                                       << "namespaces"
                                       << "dev"
                                       << "";
        QTest::newRow("namespace status") << "PUT"
                                          << "/api/v1/namespaces/dev/status" << false << "update"
                                          << ""
                                          << "v1"
                                          << ""
                                          << "namespaces"
                                          << "dev"
                                          << "status";
        QTest::newRow("deletecollection")
            << "DELETE"
            << "/api/v1/namespaces/a/configmaps" << false << "deletecollection"
            << ""
            << "v1"
            << "a"
            << "configmaps"
            << ""
            << "";
        QTest::newRow("escaped name") << "GET"
                                      << "/api/v1/namespaces/a/configmaps/x%2Dy" << false << "get"
                                      << ""
                                      << "v1"
                                      << "a"
                                      << "configmaps"
                                      << "x-y"
                                      << "";
    }
    void readsResourceRequests() {
        QFETCH(QString, method);
        QFETCH(QString, path);
        QFETCH(bool, watch);
        const auto info = parseRequestInfo(method.toStdString(), path.toStdString(), watch);
        QVERIFY(info.ok());
        QVERIFY(info->isResourceRequest);
        QTEST(QString::fromStdString(info->verb), "verb");
        QTEST(QString::fromStdString(info->group), "group");
        QTEST(QString::fromStdString(info->version), "version");
        QTEST(QString::fromStdString(info->nameSpace), "nameSpace");
        QTEST(QString::fromStdString(info->resource), "resource");
        QTEST(QString::fromStdString(info->name), "name");
        QTEST(QString::fromStdString(info->subresource), "subresource");
    }

    void discoveryPathsAreNotResourceRequests() {
        for (const char* path : {"/api", "/api/v1", "/apis", "/apis/apps", "/apis/apps/v1"}) {
            const auto info = parseRequestInfo("GET", path, false);
            QVERIFY(info.ok());
            QVERIFY2(!info->isResourceRequest, path);
            QCOMPARE(info->groupPath, std::string(path));
        }
        const auto other = parseRequestInfo("GET", "/metrics", false);
        QVERIFY(other.ok());
        QVERIFY(other->apiPrefix.empty());
    }

    void badInputIsRefused() {
        QVERIFY(!parseRequestInfo("GET", "/api/v1/namespaces/a/pods/%zz", false).ok());
        const auto method = parseRequestInfo("TRACE", "/api/v1/pods", false);
        QVERIFY(!method.ok());
        QCOMPARE(method.error().code(), core::ErrorCode::MethodNotAllowed);
        QVERIFY(!parseRequestInfo("GET", "/api/v1/namespaces/a/pods/p/log/extra", false).ok());
    }

    void decodesQueryParameters() {
        const auto query = apiserver::QueryParameters::parse(
            "labelSelector=app%3Dweb%2Ctier+in+%28a%29&limit=500&watch=true&allowWatchBookmarks");
        QVERIFY(query.ok());
        QCOMPARE(query->get("labelSelector"), std::string("app=web,tier in (a)"));
        QCOMPARE(**query->integer("limit"), 500LL);
        QVERIFY(query->flag("watch"));
        QVERIFY(query->flag("allowWatchBookmarks"));
        QVERIFY(!query->flag("missing"));
        QVERIFY(!query->integer("missing")->has_value());
        const auto bad = apiserver::QueryParameters::parse("limit=ten");
        QVERIFY(bad.ok());
        QVERIFY(!bad->integer("limit").ok());
    }
};

QTEST_GUILESS_MAIN(TstRequestInfo)
#include "tst_request_info.moc"
