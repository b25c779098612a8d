// SPDX-License-Identifier: Apache-2.0
// Authentication and authorisation through the real kubectl (1.32): service-account tokens,
// RBAC with the default roles, and the review APIs behind `kubectl auth`.
#include <QtTest>
#include <nlohmann/json.hpp>

#include "test_support.h"

using namespace slipway;
using nlohmann::json;
using testing::args;

class TstKubectlAuth : public QObject {
    Q_OBJECT

    testing::SlipwaydServer m_server;
    testing::Kubectl admin{m_server.kubeconfigPath()};
    QTemporaryDir m_botDir;
    /// kubectl as ServiceAccount default/bot, with a token from `kubectl create token`.
    std::unique_ptr<testing::Kubectl> bot;
    QString m_token;

    QString botKubeconfig() const { return m_botDir.filePath(QStringLiteral("kubeconfig")); }

private slots:
    void initTestCase() {
        if (!testing::Kubectl::installed()) {
            QSKIP("kubectl is not installed");
        }
        QVERIFY(m_server.start());
    }

    void adminIsSystemMasters() {
        const auto whoami = admin(args({"auth", "whoami"}));
        QVERIFY2(whoami.exitCode == 0, qPrintable(whoami.err));
        QVERIFY(
            whoami.out.contains(QRegularExpression(QStringLiteral("Username\\s+slipway-admin"))));
        QVERIFY(whoami.out.contains(QRegularExpression(
            QStringLiteral("Groups\\s+\\[system:masters system:authenticated\\]"))));
        const auto canI = admin(args({"auth", "can-i", "delete", "namespaces"}));
        QCOMPARE(canI.exitCode, 0);
        QCOMPARE(canI.out.trimmed(), QStringLiteral("yes"));
        // Its rules are cluster-admin's, once each (the system:masters shortcut adds none).
        const auto lines = admin(args({"auth", "can-i", "--list"})).out.split(QLatin1Char('\n'));
        const auto count = [&lines](const char* pattern) {
            const QRegularExpression expression(QString::fromLatin1(pattern));
            return std::count_if(lines.begin(), lines.end(),
                                 [&](const QString& line) { return line.contains(expression); });
        };
        QCOMPARE(count("^\\*\\.\\*\\s+\\[\\]\\s+\\[\\]\\s+\\[\\*\\]"), std::ptrdiff_t{1});
        QCOMPARE(count("^\\s+\\[\\*\\]\\s+\\[\\]\\s+\\[\\*\\]"), std::ptrdiff_t{1});
    }

    void defaultRolesAreBootstrapped() {
        const auto view = admin.getJson(args({"get", "clusterrole", "view"}));
        QCOMPARE(view.at("metadata").at("labels").at("kubernetes.io/bootstrapping"),
                 json("rbac-defaults"));
        QCOMPARE(view.at("metadata").at("annotations").at("rbac.authorization.k8s.io/autoupdate"),
                 json("true"));
        const auto binding = admin.getJson(args({"get", "clusterrolebinding", "cluster-admin"}));
        QCOMPARE(binding.at("subjects").at(0).at("kind"), json("Group"));
        QCOMPARE(binding.at("subjects").at(0).at("name"), json("system:masters"));
        QCOMPARE(binding.at("roleRef").at("name"), json("cluster-admin"));
        for (const char* name : {"admin", "edit", "system:basic-user", "system:discovery",
                                 "system:public-info-viewer"}) {
            QVERIFY2(admin(args({"get", "clusterrole", name})).exitCode == 0, name);
        }
    }

    void everyNamespaceGetsADefaultServiceAccount() {
        // The service account controller runs beside the API server: wait for it.
        QTRY_COMPARE_WITH_TIMEOUT(
            admin(args({"get", "serviceaccount", "default", "-n", "kube-system", "-o", "name"}))
                .out.trimmed(),
            QStringLiteral("serviceaccount/default"), 10000);
        QCOMPARE(admin(args({"create", "namespace", "team"})).exitCode, 0);
        QTRY_COMPARE_WITH_TIMEOUT(
            admin(args({"get", "serviceaccount", "default", "-n", "team", "-o", "name"}))
                .out.trimmed(),
            QStringLiteral("serviceaccount/default"), 10000);
        // Deleted, it comes back (with a new uid).
        const auto before = admin.getJson(args({"get", "serviceaccount", "default", "-n", "team"}));
        QCOMPARE(admin(args({"delete", "serviceaccount", "default", "-n", "team"})).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            admin(args({"get", "serviceaccount", "default", "-n", "team", "-o",
                        "jsonpath={.metadata.uid}"}))
                        .out.toStdString() != before.at("metadata").at("uid").get<std::string>() &&
                admin(args({"get", "serviceaccount", "default", "-n", "team"})).exitCode == 0,
            10000);
    }

    void serviceAccountGetsAToken() {
        const auto created = admin(args({"create", "serviceaccount", "bot"}));
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
        const auto token = admin(args({"create", "token", "bot", "--duration=2h"}));
        QVERIFY2(token.exitCode == 0, qPrintable(token.err));
        m_token = token.out.trimmed();
        QCOMPARE(m_token.count(QLatin1Char('.')), 2);  // a JWS: header.claims.signature
        const auto claims =
            json::parse(QByteArray::fromBase64(m_token.section(QLatin1Char('.'), 1, 1).toLatin1(),
                                               QByteArray::Base64UrlEncoding)
                            .toStdString());
        QCOMPARE(claims.at("sub"), json("system:serviceaccount:default:bot"));
        QCOMPARE(claims.at("exp").get<long long>() - claims.at("iat").get<long long>(), 7200LL);
        const auto serviceAccount = admin.getJson(args({"get", "serviceaccount", "bot"}));
        QCOMPARE(claims.at("kubernetes.io").at("serviceaccount").at("uid"),
                 serviceAccount.at("metadata").at("uid"));

        // kube-apiserver's minimum: ten minutes.
        const auto tooShort = admin(args({"create", "token", "bot", "--duration=1m"}));
        QCOMPARE(tooShort.exitCode, 1);
        QVERIFY2(tooShort.err.contains(QStringLiteral(
                     "spec.expirationSeconds: Invalid value: 60: may not specify a duration "
                     "less than 10 minutes")),
                 qPrintable(tooShort.err));
        const auto missing = admin(args({"create", "token", "nobody"}));
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains(QStringLiteral("serviceaccounts \"nobody\" not found")),
                 qPrintable(missing.err));
    }

    void tokenKubeconfigAuthenticatesAsTheServiceAccount() {
        QVERIFY(!m_token.isEmpty());
        // The admin kubeconfig's cluster, with a user that has only the token.
        QVERIFY(QFile::copy(m_server.kubeconfigPath(), botKubeconfig()));
        const auto kubeconfig = QStringLiteral("--kubeconfig=") + botKubeconfig();
        QCOMPARE(admin({kubeconfig, QStringLiteral("config"), QStringLiteral("set-credentials"),
                        QStringLiteral("bot"), QStringLiteral("--token=") + m_token})
                     .exitCode,
                 0);
        QCOMPARE(admin({kubeconfig, QStringLiteral("config"), QStringLiteral("set-context"),
                        QStringLiteral("--current"), QStringLiteral("--user=bot")})
                     .exitCode,
                 0);
        bot = std::make_unique<testing::Kubectl>(botKubeconfig());
        const auto whoami = (*bot)(args({"auth", "whoami", "-o", "json"}));
        QVERIFY2(whoami.exitCode == 0, qPrintable(whoami.err));
        const auto review = json::parse(whoami.out.toStdString());
        QCOMPARE(review.at("kind"), json("SelfSubjectReview"));
        QCOMPARE(review.at("status").at("userInfo").at("username"),
                 json("system:serviceaccount:default:bot"));
        QCOMPARE(review.at("status").at("userInfo").at("groups"),
                 json({"system:serviceaccounts", "system:serviceaccounts:default",
                       "system:authenticated"}));
    }

    void withoutBindingsTheServiceAccountIsForbidden() {
        QVERIFY(bot);
        const auto pods = (*bot)(args({"get", "pods"}));
        QCOMPARE(pods.exitCode, 1);
        QCOMPARE(pods.err.trimmed(),
                 QStringLiteral("Error from server (Forbidden): pods is forbidden: User "
                                "\"system:serviceaccount:default:bot\" cannot list resource "
                                "\"pods\" in API group \"\" in the namespace \"default\""));
        const auto canI = (*bot)(args({"auth", "can-i", "list", "pods"}));
        QCOMPARE(canI.exitCode, 1);
        QCOMPARE(canI.out.trimmed(), QStringLiteral("no"));
        // Discovery and the self-reviews are for every authenticated user.
        QCOMPARE((*bot)(args({"api-versions"})).exitCode, 0);
        const auto review = (*bot)(args({"auth", "can-i", "create", "selfsubjectaccessreviews"}));
        QCOMPARE(review.out.trimmed(), QStringLiteral("yes"));
    }

    void aRoleBindingToViewLetsItRead() {
        QVERIFY(bot);
        const auto bound = admin(args({"create", "rolebinding", "bot-view", "--clusterrole=view",
                                       "--serviceaccount=default:bot"}));
        QVERIFY2(bound.exitCode == 0, qPrintable(bound.err));
        const auto binding = admin.getJson(args({"get", "rolebinding", "bot-view"}));
        QCOMPARE(binding.at("subjects").at(0).at("kind"), json("ServiceAccount"));
        QCOMPARE(admin(args({"create", "configmap", "settings", "--from-literal=a=1"})).exitCode,
                 0);

        // RBAC follows the store through a watch, as kube-apiserver's informers do: wait for it.
        QTRY_COMPARE_WITH_TIMEOUT((*bot)(args({"auth", "can-i", "list", "pods"})).out.trimmed(),
                                  QStringLiteral("yes"), 10000);
        const auto configMaps = bot->getJson(args({"get", "configmaps"}));
        QVERIFY(configMaps.is_object());
        bool found = false;
        for (const auto& item : configMaps.at("items")) {
            found = found || item.at("metadata").at("name") == json("settings");
        }
        QVERIFY(found);
        QCOMPARE((*bot)(args({"get", "pods"})).exitCode, 0);

        // view is read-only, excludes secrets, and is bound in "default" only.
        QCOMPARE((*bot)(args({"auth", "can-i", "create", "pods"})).out.trimmed(),
                 QStringLiteral("no"));
        QCOMPARE((*bot)(args({"auth", "can-i", "get", "secrets"})).out.trimmed(),
                 QStringLiteral("no"));
        QCOMPARE((*bot)(args({"auth", "can-i", "get", "pods", "--subresource=log"})).out.trimmed(),
                 QStringLiteral("yes"));
        const auto otherNamespace = (*bot)(args({"get", "pods", "-n", "kube-system"}));
        QCOMPARE(otherNamespace.exitCode, 1);
        QVERIFY2(otherNamespace.err.contains(QStringLiteral("in the namespace \"kube-system\"")),
                 qPrintable(otherNamespace.err));
        // Reading namespaces in a namespace is reading that namespace, as in kube.
        QCOMPARE((*bot)(args({"get", "namespace", "default", "-o", "name"})).out.trimmed(),
                 QStringLiteral("namespace/default"));
        const auto kubeSystem = (*bot)(args({"get", "namespace", "kube-system"}));
        QCOMPARE(kubeSystem.err.trimmed(),
                 QStringLiteral("Error from server (Forbidden): namespaces \"kube-system\" is "
                                "forbidden: User \"system:serviceaccount:default:bot\" cannot get "
                                "resource \"namespaces\" in API group \"\" in the namespace "
                                "\"kube-system\""));
        const auto removed = (*bot)(args({"delete", "configmap", "settings"}));
        QCOMPARE(removed.exitCode, 1);
        QVERIFY2(removed.err.contains(QStringLiteral(
                     "configmaps \"settings\" is forbidden: User "
                     "\"system:serviceaccount:default:bot\" cannot delete resource "
                     "\"configmaps\" in API group \"\" in the namespace \"default\"")),
                 qPrintable(removed.err));
    }

    void impersonationWithAs() {
        QVERIFY(bot);
        // The admin may act as anyone: kubectl sends Impersonate-User.
        const auto asBot = admin(
            args({"auth", "can-i", "list", "pods", "--as", "system:serviceaccount:default:bot"}));
        QCOMPARE(asBot.out.trimmed(), QStringLiteral("yes"));
        const auto asBotSecrets = admin(args(
            {"auth", "can-i", "list", "secrets", "--as", "system:serviceaccount:default:bot"}));
        QCOMPARE(asBotSecrets.out.trimmed(), QStringLiteral("no"));
        const auto whoami = admin(args({"auth", "whoami", "--as", "jane", "--as-group", "devs",
                                        "-o", "jsonpath={.status.userInfo.groups}"}));
        QCOMPARE(whoami.out.trimmed(), QStringLiteral("[\"devs\",\"system:authenticated\"]"));
        // The bot may not (view grants no impersonate).
        const auto escalation = (*bot)(args({"get", "pods", "--as", "slipway-admin"}));
        QCOMPARE(escalation.exitCode, 1);
        QVERIFY2(escalation.err.contains(QStringLiteral(
                     "users \"slipway-admin\" is forbidden: User "
                     "\"system:serviceaccount:default:bot\" cannot impersonate resource \"users\" "
                     "in API group \"\" at the cluster scope")),
                 qPrintable(escalation.err));
    }

    void canIListShowsTheRules() {
        QVERIFY(bot);
        const auto list = (*bot)(args({"auth", "can-i", "--list"}));
        QVERIFY2(list.exitCode == 0, qPrintable(list.err));
        const auto lines = list.out.split(QLatin1Char('\n'));
        QVERIFY(lines.first().contains(QRegularExpression(
            QStringLiteral("^Resources\\s+Non-Resource URLs\\s+Resource Names\\s+Verbs"))));
        const auto hasLine = [&lines](const QString& pattern) {
            const QRegularExpression expression(pattern);
            return std::any_of(lines.begin(), lines.end(),
                               [&](const QString& line) { return line.contains(expression); });
        };
        QVERIFY(hasLine(QStringLiteral("^pods/log\\s+\\[\\]\\s+\\[\\]\\s+\\[get list watch\\]")));
        QVERIFY(
            hasLine(QStringLiteral("^deployments\\.apps\\s+\\[\\]\\s+\\[\\]\\s+\\[get list "
                                   "watch\\]")));
        QVERIFY(
            hasLine(QStringLiteral("^selfsubjectaccessreviews\\.authorization\\.k8s\\.io\\s+\\[\\]"
                                   "\\s+\\[\\]\\s+\\[create\\]")));
        QVERIFY(hasLine(QStringLiteral("^\\s+\\[/apis/\\*\\]\\s+\\[\\]\\s+\\[get\\]")));
        QVERIFY(!hasLine(QStringLiteral("^secrets\\s")));
    }

    void aRoleGrantsOnlyWhatItsWriterHolds() {
        // jane may write roles in "delegation" and read configmaps there, nothing more.
        QCOMPARE(admin(args({"create", "namespace", "delegation"})).exitCode, 0);
        const QByteArray writer =
            "apiVersion: rbac.authorization.k8s.io/v1\n"
            "kind: Role\n"
            "metadata: {name: role-writer, namespace: delegation}\n"
            "rules:\n"
            "- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [create, get, "
            "patch]}\n"
            "- {apiGroups: [\"\"], resources: [configmaps], verbs: [get, list]}\n"
            "---\n"
            "apiVersion: rbac.authorization.k8s.io/v1\n"
            "kind: RoleBinding\n"
            "metadata: {name: role-writer, namespace: delegation}\n"
            "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: role-writer}\n"
            "subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: jane}]\n";
        const auto applied = admin(args({"apply", "-f", "-"}), writer);
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        QTRY_COMPARE_WITH_TIMEOUT(
            admin(args({"auth", "can-i", "create", "roles", "-n", "delegation", "--as", "jane"}))
                .out.trimmed(),
            QStringLiteral("yes"), 10000);

        const auto podReader = admin(args({"create", "role", "pod-reader", "--verb=get",
                                           "--resource=pods", "-n", "delegation", "--as", "jane"}));
        QCOMPARE(podReader.exitCode, 1);
        QCOMPARE(podReader.err.trimmed(),
                 QStringLiteral("Error from server (Forbidden): roles.rbac.authorization.k8s.io "
                                "\"pod-reader\" is forbidden: user \"jane\" "
                                "(groups=[\"system:authenticated\"]) is attempting to grant RBAC "
                                "permissions not currently held:\n"
                                "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\"]}"));
        QCOMPARE(admin(args({"get", "role", "pod-reader", "-n", "delegation"})).exitCode, 1);

        // What jane holds she may grant; a patch is judged by the role it produces.
        const auto cmReader =
            admin(args({"create", "role", "cm-reader", "--verb=get", "--resource=configmaps", "-n",
                        "delegation", "--as", "jane"}));
        QVERIFY2(cmReader.exitCode == 0, qPrintable(cmReader.err));
        const auto patched = admin(
            args({"patch", "role", "cm-reader", "-n", "delegation", "--as", "jane", "--type=json",
                  "-p", "[{\"op\":\"add\",\"path\":\"/rules/0/verbs/-\",\"value\":\"delete\"}]"}));
        QCOMPARE(patched.exitCode, 1);
        QVERIFY2(patched.err.contains(QStringLiteral(
                     "roles.rbac.authorization.k8s.io \"cm-reader\" is forbidden: user \"jane\" "
                     "(groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions "
                     "not currently held:\n{APIGroups:[\"\"], Resources:[\"configmaps\"], "
                     "Verbs:[\"delete\"]}")),
                 qPrintable(patched.err));
        QCOMPARE(admin.getJson(args({"get", "role", "cm-reader", "-n", "delegation"}))
                     .at("rules")
                     .at(0)
                     .at("verbs"),
                 json::array({"get"}));

        // With `escalate` on roles, jane may write any rules into them.
        QCOMPARE(admin(args({"create", "role", "escalator", "--verb=escalate", "--resource=roles",
                             "-n", "delegation"}))
                     .exitCode,
                 0);
        QCOMPARE(admin(args({"create", "rolebinding", "jane-escalator", "--role=escalator",
                             "--user=jane", "-n", "delegation"}))
                     .exitCode,
                 0);
        QTRY_COMPARE_WITH_TIMEOUT(
            admin(args({"auth", "can-i", "escalate", "roles", "-n", "delegation", "--as", "jane"}))
                .out.trimmed(),
            QStringLiteral("yes"), 10000);
        const auto escalated = admin(args({"create", "role", "pod-reader", "--verb=get",
                                           "--resource=pods", "-n", "delegation", "--as", "jane"}));
        QVERIFY2(escalated.exitCode == 0, qPrintable(escalated.err));
        QCOMPARE(
            admin.getJson(args({"get", "role", "pod-reader", "-n", "delegation"})).at("rules"),
            json::parse("[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"get\"]}]"));
    }

    void aBindingNeedsBindOrTheRolesPermissions() {
        const QByteArray writer =
            "apiVersion: rbac.authorization.k8s.io/v1\n"
            "kind: Role\n"
            "metadata: {name: binding-writer, namespace: delegation}\n"
            "rules:\n"
            "- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: "
            "[create]}\n"
            "---\n"
            "apiVersion: rbac.authorization.k8s.io/v1\n"
            "kind: RoleBinding\n"
            "metadata: {name: binding-writer, namespace: delegation}\n"
            "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: binding-writer}\n"
            "subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: jane}]\n";
        const auto applied = admin(args({"apply", "-f", "-"}), writer);
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        QTRY_COMPARE_WITH_TIMEOUT(admin(args({"auth", "can-i", "create", "rolebindings", "-n",
                                              "delegation", "--as", "jane"}))
                                      .out.trimmed(),
                                  QStringLiteral("yes"), 10000);

        // view reads more than jane does (she reads configmaps, but does not watch them).
        const auto refused = admin(args({"create", "rolebinding", "bob-view", "--clusterrole=view",
                                         "--user=bob", "-n", "delegation", "--as", "jane"}));
        QCOMPARE(refused.exitCode, 1);
        // kubectl create rolebinding words the Forbidden Status its own way.
        QVERIFY2(refused.err.startsWith(QStringLiteral(
                     "error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "
                     "\"bob-view\" is forbidden: user \"jane\" (groups=[\"system:authenticated\"]) "
                     "is attempting to grant RBAC permissions not currently held:\n")),
                 qPrintable(refused.err));
        QVERIFY2(refused.err.contains(QStringLiteral(
                     "\n{APIGroups:[\"\"], Resources:[\"configmaps\"], Verbs:[\"watch\"]}\n")),
                 qPrintable(refused.err));
        QVERIFY2(refused.err.contains(QStringLiteral(
                     "\n{APIGroups:[\"apps\"], Resources:[\"deployments\"], Verbs:[\"get\" "
                     "\"list\" \"watch\"]}\n")),
                 qPrintable(refused.err));

        // `bind` on the view ClusterRole in "delegation" lets her bind it there, and only it.
        QCOMPARE(
            admin(args({"create", "role", "view-binder", "--verb=bind", "--resource=clusterroles",
                        "--resource-name=view", "-n", "delegation"}))
                .exitCode,
            0);
        QCOMPARE(admin(args({"create", "rolebinding", "jane-view-binder", "--role=view-binder",
                             "--user=jane", "-n", "delegation"}))
                     .exitCode,
                 0);
        QTRY_COMPARE_WITH_TIMEOUT(admin(args({"auth", "can-i", "bind", "clusterroles/view", "-n",
                                              "delegation", "--as", "jane"}))
                                      .out.trimmed(),
                                  QStringLiteral("yes"), 10000);
        const auto bound = admin(args({"create", "rolebinding", "bob-view", "--clusterrole=view",
                                       "--user=bob", "-n", "delegation", "--as", "jane"}));
        QVERIFY2(bound.exitCode == 0, qPrintable(bound.err));
        const auto binding =
            admin.getJson(args({"get", "rolebinding", "bob-view", "-n", "delegation"}));
        QCOMPARE(binding.at("roleRef").at("name"), json("view"));
        QCOMPARE(binding.at("subjects").at(0).at("name"), json("bob"));
        const auto edit = admin(args({"create", "rolebinding", "bob-edit", "--clusterrole=edit",
                                      "--user=bob", "-n", "delegation", "--as", "jane"}));
        QCOMPARE(edit.exitCode, 1);
        QVERIFY2(edit.err.contains(QStringLiteral("rolebindings.rbac.authorization.k8s.io "
                                                  "\"bob-edit\" is forbidden")),
                 qPrintable(edit.err));
    }

    void aggregatedClusterRolesGatherLabelledRules() {
        const QByteArray roles =
            "apiVersion: rbac.authorization.k8s.io/v1\n"
            "kind: ClusterRole\n"
            "metadata: {name: monitoring}\n"
            "aggregationRule:\n"
            "  clusterRoleSelectors:\n"
            "  - matchLabels: {example.com/aggregate-to-monitoring: \"true\"}\n"
            "rules: []\n"
            "---\n"
            "apiVersion: rbac.authorization.k8s.io/v1\n"
            "kind: ClusterRole\n"
            "metadata:\n"
            "  name: widget-reader\n"
            "  labels: {example.com/aggregate-to-monitoring: \"true\"}\n"
            "rules:\n"
            "- {apiGroups: [example.com], resources: [widgets], verbs: [get, list]}\n";
        const auto applied = admin(args({"apply", "-f", "-"}), roles);
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.err));
        const json widgets = json::parse(
            "{\"apiGroups\":[\"example.com\"],\"resources\":[\"widgets\"],\"verbs\":[\"get\","
            "\"list\"]}");
        QTRY_COMPARE_WITH_TIMEOUT(
            admin.getJson(args({"get", "clusterrole", "monitoring"})).value("rules", json()),
            json::array({widgets}), 10000);

        // A CRD's installer extends the default roles the same way: view, and through the
        // aggregation chain edit and admin.
        const QByteArray viewer =
            "apiVersion: rbac.authorization.k8s.io/v1\n"
            "kind: ClusterRole\n"
            "metadata:\n"
            "  name: widget-viewer\n"
            "  labels: {rbac.authorization.k8s.io/aggregate-to-view: \"true\"}\n"
            "rules:\n"
            "- {apiGroups: [example.com], resources: [widgets], verbs: [get, list]}\n";
        QCOMPARE(admin(args({"apply", "-f", "-"}), viewer).exitCode, 0);
        const auto has = [this, &widgets](const char* role) {
            const auto rules =
                admin.getJson(args({"get", "clusterrole", role})).value("rules", json());
            return rules.is_array() &&
                   std::find(rules.begin(), rules.end(), widgets) != rules.end();
        };
        QTRY_VERIFY_WITH_TIMEOUT(has("view") && has("edit") && has("admin"), 10000);
        // With the CRD served, bob (bound to view in "delegation") may list widgets there.
        const QByteArray crd =
            "apiVersion: apiextensions.k8s.io/v1\n"
            "kind: CustomResourceDefinition\n"
            "metadata: {name: widgets.example.com}\n"
            "spec:\n"
            "  group: example.com\n"
            "  scope: Namespaced\n"
            "  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}\n"
            "  versions:\n"
            "  - name: v1\n"
            "    served: true\n"
            "    storage: true\n"
            "    schema:\n"
            "      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}\n";
        const auto created = admin(args({"apply", "-f", "-"}), crd);
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
        QTRY_COMPARE_WITH_TIMEOUT(
            admin(args({"get", "widgets", "-n", "delegation", "--as", "bob"})).exitCode, 0, 10000);
        QCOMPARE(admin(args({"get", "widgets", "-n", "kube-system", "--as", "bob"})).exitCode, 1);
        QCOMPARE(
            admin(args({"auth", "can-i", "delete", "widgets", "-n", "delegation", "--as", "bob"}))
                .out.trimmed(),
            QStringLiteral("no"));
    }

    void deletingTheServiceAccountRevokesItsTokens() {
        QVERIFY(bot);
        QCOMPARE(admin(args({"delete", "serviceaccount", "bot"})).exitCode, 0);
        const auto pods = (*bot)(args({"get", "pods"}));
        QCOMPARE(pods.exitCode, 1);
        QVERIFY2(pods.err.contains(QStringLiteral("Unauthorized")), qPrintable(pods.err));
        // A new ServiceAccount of the same name does not bring the old token back.
        QCOMPARE(admin(args({"create", "serviceaccount", "bot"})).exitCode, 0);
        QVERIFY((*bot)(args({"get", "pods"})).err.contains(QStringLiteral("Unauthorized")));
    }
};

QTEST_GUILESS_MAIN(TstKubectlAuth)
#include "tst_kubectl_auth.moc"
