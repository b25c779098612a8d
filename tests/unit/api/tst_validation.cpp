// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/api/kind_registry.h"
#include "engine/api/validation.h"

using nlohmann::json;
using slipway::api::FieldCause;
using slipway::api::FieldCauses;
using slipway::api::KindRegistry;
using slipway::api::ResourceType;

namespace {

QString q(const std::string& text) {
    return QString::fromStdString(text);
}

QString describe(const FieldCauses& causes) {
    QString text;
    for (const auto& cause : causes) {
        text += q(cause.field + " | " + cause.reason + " | " + cause.message) + "\n";
    }
    return text;
}

const KindRegistry& registry() {
    static const auto instance = KindRegistry::withBuiltinKinds();
    return *instance;
}

std::shared_ptr<const ResourceType> typeOf(const std::string& group, const std::string& kind) {
    for (const auto& type : registry().all()) {
        if (type->group == group && type->kind == kind) {
            return type;
        }
    }
    return nullptr;
}

// What the REST layer does before storing: default, then the generic and the kind's rules.
FieldCauses validate(const std::string& group, const std::string& kind, json object,
                     const json* oldObject = nullptr) {
    const auto type = typeOf(group, kind);
    if (type == nullptr) {
        qFatal("no type %s/%s", group.c_str(), kind.c_str());
    }
    if (type->defaulter) {
        type->defaulter(object);
    }
    FieldCauses causes = slipway::api::validateObjectMeta(object, *type);
    if (type->validator) {
        json old;
        if (oldObject != nullptr) {
            old = *oldObject;
            if (type->defaulter) {
                type->defaulter(old);
            }
        }
        auto more = type->validator(object, oldObject != nullptr ? &old : nullptr);
        causes.insert(causes.end(), more.begin(), more.end());
    }
    return causes;
}

bool contains(const FieldCauses& causes, const std::string& field, const std::string& reason,
              const std::string& message) {
    for (const auto& cause : causes) {
        if (cause.field == field && cause.reason == reason && cause.message == message) {
            return true;
        }
    }
    return false;
}

const char* const kLabelMessage =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const char* const kSubdomainMessage =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

std::string deployment(const std::string& spec) {
    return R"({"apiVersion":"apps/v1","kind":"Deployment",
               "metadata":{"name":"web","namespace":"default"},"spec":)" +
           spec + "}";
}

std::string pod(const std::string& spec) {
    return R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default"},
               "spec":)" +
           spec + "}";
}

std::string service(const std::string& spec) {
    return R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default"},
               "spec":)" +
           spec + "}";
}

const char* const kTemplate =
    R"("template":{"metadata":{"labels":{"app":"web"}},
                   "spec":{"containers":[{"name":"web","image":"nginx"}]}})";

}  // namespace

class TstValidation : public QObject {
    Q_OBJECT
private slots:
    void stringChecks_data() {
        QTest::addColumn<QString>("check");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QStringList>("messages");
        QTest::newRow("label ok") << "label"
                                  << "my-name" << QStringList{};
        QTest::newRow("label upper") << "label"
                                     << "Web" << QStringList{kLabelMessage};
        QTest::newRow("label dots") << "label"
                                    << "a.b" << QStringList{"must not contain dots"};
        QTest::newRow("label long")
            << "label" << QString(64, 'a') << QStringList{"must be no more than 63 characters"};
        QTest::newRow("subdomain ok") << "subdomain"
                                      << "web.example" << QStringList{};
        QTest::newRow("subdomain bad") << "subdomain"
                                       << "web_1" << QStringList{kSubdomainMessage};
        QTest::newRow("1035 digit") << "dns1035"
                                    << "1web"
                                    << QStringList{
                                           "a DNS-1035 label must consist of lower case "
                                           "alphanumeric characters or '-', start with an "
                                           "alphabetic character, and end with an "
                                           "alphanumeric character (e.g. 'my-name',  or "
                                           "'abc-123', regex used for validation is "
                                           "'[a-z]([-a-z0-9]*[a-z0-9])?')"};
        QTest::newRow("port name ok") << "portName"
                                      << "http-alt" << QStringList{};
        QTest::newRow("port name bad")
            << "portName"
            << "-HTTP--"
            << QStringList{"must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                           "must contain at least one letter (a-z)",
                           "must not contain consecutive hyphens",
                           "must not begin or end with a hyphen"};
        QTest::newRow("config key dots") << "configKey"
                                         << ".." << QStringList{"must not be '..'"};
        QTest::newRow("percent") << "percent"
                                 << "25"
                                 << QStringList{
                                        "a valid percent string must be a numeric string "
                                        "followed by an ending '%' (e.g. '1%',  or '93%', "
                                        "regex used for validation is '[0-9]+%')"};
        QTest::newRow("path segment")
            << "pathSegment"
            << "a/b%c" << QStringList{"may not contain '/'", "may not contain '%'"};
        QTest::newRow("wildcard ok") << "wildcard"
                                     << "*.example.com" << QStringList{};
    }

    void stringChecks() {
        QFETCH(QString, check);
        QFETCH(QString, value);
        QFETCH(QStringList, messages);
        const std::string text = value.toStdString();
        std::vector<std::string> actual;
        if (check == "label") {
            actual = slipway::api::isDns1123Label(text);
        } else if (check == "subdomain") {
            actual = slipway::api::isDns1123Subdomain(text);
        } else if (check == "dns1035") {
            actual = slipway::api::isDns1035Label(text);
        } else if (check == "portName") {
            actual = slipway::api::isValidPortName(text);
        } else if (check == "configKey") {
            actual = slipway::api::isConfigMapKey(text);
        } else if (check == "percent") {
            actual = slipway::api::isValidPercent(text);
        } else if (check == "pathSegment") {
            actual = slipway::api::isValidPathSegmentName(text);
        } else if (check == "wildcard") {
            actual = slipway::api::isWildcardDns1123Subdomain(text);
        }
        QStringList got;
        for (const auto& message : actual) {
            got << q(message);
        }
        QCOMPARE(got, messages);
    }

    void goValues() {
        QCOMPARE(q(slipway::api::goValue("a\"b\n")), QString("\"a\\\"b\\n\""));
        QCOMPARE(q(slipway::api::goValue(42)), QString("42"));
        QCOMPARE(q(slipway::api::goValue(nullptr)), QString("null"));
        QCOMPARE(q(slipway::api::goValue(json{{"b", "2"}, {"a", "1"}})),
                 QString(R"(map[string]string{"a":"1", "b":"2"})"));
        QCOMPARE(q(slipway::api::goValue(json::array({"x", "y"}))),
                 QString(R"([]string{"x", "y"})"));
    }

    // Each row: a manifest breaking one rule, and the cause kube-apiserver 1.32 gives for it.
    void rules_data() {
        QTest::addColumn<QString>("group");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("object");
        QTest::addColumn<QString>("old");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("message");

        const auto row = [](const char* name, const char* group, const char* kind,
                            const std::string& object, const char* field, const char* reason,
                            const std::string& message, const std::string& old = {}) {
            QTest::newRow(name) << group << kind << q(object) << q(old) << field << reason
                                << q(message);
        };

        // ObjectMeta
        row("name required", "", "ConfigMap", R"({"metadata":{"namespace":"default"}})",
            "metadata.name", "FieldValueRequired",
            "Required value: name or generateName is required");
        row("name subdomain", "", "ConfigMap",
            R"({"metadata":{"name":"My_Config","namespace":"default"}})", "metadata.name",
            "FieldValueInvalid", std::string("Invalid value: \"My_Config\": ") + kSubdomainMessage);
        row("namespace name label", "", "Namespace", R"({"metadata":{"name":"Team.A"}})",
            "metadata.name", "FieldValueInvalid",
            std::string("Invalid value: \"Team.A\": ") + kLabelMessage);
        row("namespace required", "", "ConfigMap", R"({"metadata":{"name":"c"}})",
            "metadata.namespace", "FieldValueRequired", "Required value");
        row("namespace forbidden", "", "Node", R"({"metadata":{"name":"n1","namespace":"x"}})",
            "metadata.namespace", "FieldValueForbidden", "Forbidden: not allowed on this type");
        row("label value", "", "ConfigMap",
            R"({"metadata":{"name":"c","namespace":"d","labels":{"app":"a b"}}})",
            "metadata.labels", "FieldValueInvalid",
            "Invalid value: \"a b\": a valid label must be an empty string or consist of "
            "alphanumeric characters, '-', '_' or '.', and must start and end with an "
            "alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
            "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
        row("annotations too long", "", "ConfigMap",
            R"({"metadata":{"name":"c","namespace":"d","annotations":{"big":")" +
                std::string(262144, 'x') + R"("}}})",
            "metadata.annotations", "FieldValueTooLong",
            "Too long: may not be more than 262144 bytes");
        row("owner uid", "", "ConfigMap",
            R"({"metadata":{"name":"c","namespace":"d","ownerReferences":[{"apiVersion":"v1",
               "kind":"Pod","name":"p"}]}})",
            "metadata.ownerReferences.uid", "FieldValueInvalid",
            "Invalid value: \"\": uid must not be empty");
        row("rbac name", "rbac.authorization.k8s.io", "Role",
            R"({"metadata":{"name":"a/b","namespace":"d"},"rules":[]})", "metadata.name",
            "FieldValueInvalid", "Invalid value: \"a/b\": may not contain '/'");

        // Pods
        row("containers required", "", "Pod", pod(R"({})"), "spec.containers", "FieldValueRequired",
            "Required value");
        row("container name", "", "Pod", pod(R"({"containers":[{"name":"Web","image":"nginx"}]})"),
            "spec.containers[0].name", "FieldValueInvalid",
            std::string("Invalid value: \"Web\": ") + kLabelMessage);
        row("container duplicate", "", "Pod",
            pod(R"({"containers":[{"name":"web","image":"a"},{"name":"web","image":"b"}]})"),
            "spec.containers[1].name", "FieldValueDuplicate", "Duplicate value: \"web\"");
        row("image required", "", "Pod", pod(R"({"containers":[{"name":"web"}]})"),
            "spec.containers[0].image", "FieldValueRequired", "Required value");
        row("container port range", "", "Pod",
            pod(R"({"containers":[{"name":"web","image":"a","ports":[{"containerPort":70000}]}]})"),
            "spec.containers[0].ports[0].containerPort", "FieldValueInvalid",
            "Invalid value: 70000: must be between 1 and 65535, inclusive");
        row("container port protocol", "", "Pod", pod(R"({"containers":[{"name":"web","image":"a",
                    "ports":[{"containerPort":80,"protocol":"HTTP"}]}]})"),
            "spec.containers[0].ports[0].protocol", "FieldValueNotSupported",
            "Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"");
        row("restart policy", "", "Pod",
            pod(R"({"restartPolicy":"Sometimes","containers":[{"name":"web","image":"a"}]})"),
            "spec.restartPolicy", "FieldValueNotSupported",
            "Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", "
            "\"Never\"");
        row("requests above limits", "", "Pod", pod(R"({"containers":[{"name":"web","image":"a",
                    "resources":{"requests":{"cpu":"2"},"limits":{"cpu":"1"}}}]})"),
            "spec.containers[0].resources.requests", "FieldValueInvalid",
            "Invalid value: \"2\": must be less than or equal to cpu limit of 1");
        row("bad quantity", "", "Pod", pod(R"({"containers":[{"name":"web","image":"a",
                    "resources":{"limits":{"memory":"lots"}}}]})"),
            "spec.containers[0].resources.limits[memory]", "FieldValueInvalid",
            "Invalid value: \"lots\": quantities must match the regular expression "
            "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
        row("negative quantity", "", "Pod", pod(R"({"containers":[{"name":"web","image":"a",
                    "resources":{"requests":{"memory":"-1Gi"}}}]})"),
            "spec.containers[0].resources.requests[memory]", "FieldValueInvalid",
            "Invalid value: \"-1Gi\": must be greater than or equal to 0");
        row("unknown resource", "", "Pod", pod(R"({"containers":[{"name":"web","image":"a",
                    "resources":{"limits":{"gpu":"1"}}}]})"),
            "spec.containers[0].resources.limits[gpu]", "FieldValueInvalid",
            "Invalid value: \"gpu\": must be a standard resource for containers");
        row("mount of unknown volume", "", "Pod", pod(R"({"containers":[{"name":"web","image":"a",
                    "volumeMounts":[{"name":"data","mountPath":"/data"}]}]})"),
            "spec.containers[0].volumeMounts[0].name", "FieldValueNotFound", "Not found: \"data\"");
        row("duplicate volume", "", "Pod",
            pod(R"({"volumes":[{"name":"data","emptyDir":{}},{"name":"data","emptyDir":{}}],
                    "containers":[{"name":"web","image":"a"}]})"),
            "spec.volumes[1].name", "FieldValueDuplicate", "Duplicate value: \"data\"");
        row("two volume sources", "", "Pod",
            pod(R"({"volumes":[{"name":"data","emptyDir":{},"hostPath":{"path":"/x"}}],
                    "containers":[{"name":"web","image":"a"}]})"),
            "spec.volumes[0].emptyDir", "FieldValueForbidden",
            "Forbidden: may not specify more than 1 volume type");
        row("env name", "", "Pod",
            pod(R"({"containers":[{"name":"web","image":"a","env":[{"name":"A=B"}]}]})"),
            "spec.containers[0].env[0].name", "FieldValueInvalid",
            "Invalid value: \"A=B\": a valid environment variable name must consist only of "
            "printable ASCII characters other than '='");
        row("probe handler", "", "Pod",
            pod(R"({"containers":[{"name":"web","image":"a","livenessProbe":{"periodSeconds":5}}]})"),
            "spec.containers[0].livenessProbe", "FieldValueRequired",
            "Required value: must specify a handler type");
        row("pod update", "", "Pod",
            pod(R"({"containers":[{"name":"web","image":"nginx","ports":[{"containerPort":81}]}]})"),
            "spec", "FieldValueForbidden",
            "Forbidden: pod updates may not change fields other than "
            "`spec.containers[*].image`,`spec.initContainers[*].image`,"
            "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing "
            "tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it "
            "was previously negative)",
            pod(R"({"containers":[{"name":"web","image":"nginx","ports":[{"containerPort":80}]}]})"));

        // Deployments and other workloads
        row("selector mismatch", "apps", "Deployment",
            deployment(std::string(R"({"selector":{"matchLabels":{"app":"api"}},)") + kTemplate +
                       "}"),
            "spec.template.metadata.labels", "FieldValueInvalid",
            "Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match "
            "template `labels`");
        row("selector required", "apps", "Deployment",
            deployment(std::string("{") + kTemplate + "}"), "spec.selector", "FieldValueRequired",
            "Required value");
        row("selector empty", "apps", "Deployment",
            deployment(std::string(R"({"selector":{},)") + kTemplate + "}"), "spec.selector",
            "FieldValueInvalid",
            "Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
            "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for "
            "deployment");
        row("replicas negative", "apps", "Deployment",
            deployment(std::string(R"({"replicas":-1,"selector":{"matchLabels":{"app":"web"}},)") +
                       kTemplate + "}"),
            "spec.replicas", "FieldValueInvalid",
            "Invalid value: -1: must be greater than or equal to 0");
        row("template restart policy", "apps", "Deployment",
            deployment(R"({"selector":{"matchLabels":{"app":"web"}},
                "template":{"metadata":{"labels":{"app":"web"}},"spec":{"restartPolicy":"Never",
                "containers":[{"name":"web","image":"nginx"}]}}})"),
            "spec.template.spec.restartPolicy", "FieldValueNotSupported",
            "Unsupported value: \"Never\": supported values: \"Always\"");
        row("surge and unavailable zero", "apps", "Deployment",
            deployment(std::string(R"({"selector":{"matchLabels":{"app":"web"}},
                "strategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":0}},)") +
                       kTemplate + "}"),
            "spec.strategy.rollingUpdate.maxUnavailable", "FieldValueInvalid",
            "Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when "
            "`maxSurge` is 0");
        row("bad percent", "apps", "Deployment",
            deployment(std::string(R"({"selector":{"matchLabels":{"app":"web"}},
                "strategy":{"rollingUpdate":{"maxSurge":"half"}},)") +
                       kTemplate + "}"),
            "spec.strategy.rollingUpdate.maxSurge", "FieldValueInvalid",
            "Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"half\"}: a valid "
            "percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or "
            "'93%', regex used for validation is '[0-9]+%')");
        row("strategy type", "apps", "Deployment",
            deployment(std::string(R"({"selector":{"matchLabels":{"app":"web"}},
                "strategy":{"type":"BlueGreen"},)") +
                       kTemplate + "}"),
            "spec.strategy.type", "FieldValueNotSupported",
            "Unsupported value: \"BlueGreen\": supported values: \"Recreate\", \"RollingUpdate\"");
        row("selector immutable", "apps", "Deployment",
            deployment(R"({"selector":{"matchLabels":{"app":"web","tier":"fe"}},
                "template":{"metadata":{"labels":{"app":"web","tier":"fe"}},
                "spec":{"containers":[{"name":"web","image":"nginx"}]}}})"),
            "spec.selector", "FieldValueInvalid",
            "Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", "
            "\"tier\":\"fe\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is "
            "immutable",
            deployment(std::string(R"({"selector":{"matchLabels":{"app":"web"}},)") + kTemplate +
                       "}"));
        row("replicaset mismatch", "apps", "ReplicaSet",
            R"({"metadata":{"name":"rs","namespace":"d"},"spec":{"selector":{"matchLabels":
                {"app":"x"}},"template":{"metadata":{"labels":{"app":"y"}},
                "spec":{"containers":[{"name":"c","image":"i"}]}}}})",
            "spec.template.metadata.labels", "FieldValueInvalid",
            "Invalid value: map[string]string{\"app\":\"y\"}: `selector` does not match "
            "template `labels`");
        row("statefulset empty selector", "apps", "StatefulSet",
            R"({"metadata":{"name":"db","namespace":"d"},"spec":{"selector":{"matchLabels":{}},
                "template":{"metadata":{"labels":{"app":"db"}},
                "spec":{"containers":[{"name":"c","image":"i"}]}}}})",
            "spec.selector", "FieldValueInvalid",
            "Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, "
            "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for "
            "statefulset");
        row("statefulset forbidden update", "apps", "StatefulSet",
            R"({"metadata":{"name":"db","namespace":"d"},"spec":{"serviceName":"other",
                "selector":{"matchLabels":{"app":"db"}},"template":{"metadata":{"labels":
                {"app":"db"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}})",
            "spec", "FieldValueForbidden",
            "Forbidden: updates to statefulset spec for fields other than 'replicas', "
            "'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', "
            "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
            R"({"metadata":{"name":"db","namespace":"d"},"spec":{"serviceName":"db",
                "selector":{"matchLabels":{"app":"db"}},"template":{"metadata":{"labels":
                {"app":"db"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}})");
        row("daemonset surge and unavailable", "apps", "DaemonSet",
            R"({"metadata":{"name":"ds","namespace":"d"},"spec":{"selector":{"matchLabels":
                {"app":"ds"}},"updateStrategy":{"rollingUpdate":{"maxUnavailable":1,
                "maxSurge":1}},"template":{"metadata":{"labels":{"app":"ds"}},
                "spec":{"containers":[{"name":"c","image":"i"}]}}}})",
            "spec.updateStrategy.rollingUpdate.maxSurge", "FieldValueInvalid",
            "Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:\"\"}: may not be set "
            "when maxUnavailable is non-zero");

        // Jobs and CronJobs
        row("job restart policy", "batch", "Job",
            R"({"metadata":{"name":"pi","namespace":"d","uid":"u1"},"spec":{"template":
                {"spec":{"containers":[{"name":"pi","image":"perl"}]}}}})",
            "spec.template.spec.restartPolicy", "FieldValueNotSupported",
            "Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"");
        row("job name too long for its label", "batch", "Job",
            R"({"metadata":{"name":")" + std::string(64, 'j') +
                R"(","namespace":"d","uid":"u1"},"spec":{"template":
                {"spec":{"restartPolicy":"Never","containers":[{"name":"pi","image":"perl"}]}}}})",
            "spec.template.labels", "FieldValueInvalid",
            "Invalid value: \"" + std::string(64, 'j') + "\": must be no more than 63 characters");
        row("cron fields", "batch", "CronJob",
            R"({"metadata":{"name":"c","namespace":"d"},"spec":{"schedule":"every day",
                "jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"OnFailure",
                "containers":[{"name":"c","image":"i"}]}}}}}})",
            "spec.schedule", "FieldValueInvalid",
            "Invalid value: \"every day\": expected exactly 5 fields, found 2: [every day]");
        row("cron range", "batch", "CronJob",
            R"({"metadata":{"name":"c","namespace":"d"},"spec":{"schedule":"61 * * * *",
                "jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"OnFailure",
                "containers":[{"name":"c","image":"i"}]}}}}}})",
            "spec.schedule", "FieldValueInvalid",
            "Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61");
        row("cron TZ", "batch", "CronJob",
            R"({"metadata":{"name":"c","namespace":"d"},"spec":{"schedule":"TZ=UTC 0 * * * *",
                "jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"OnFailure",
                "containers":[{"name":"c","image":"i"}]}}}}}})",
            "spec.schedule", "FieldValueInvalid",
            "Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use "
            "timeZone field instead");
        row("cron template restart policy", "batch", "CronJob",
            R"({"metadata":{"name":"c","namespace":"d"},"spec":{"schedule":"@hourly",
                "jobTemplate":{"spec":{"template":{"spec":{
                "containers":[{"name":"c","image":"i"}]}}}}}})",
            "spec.jobTemplate.spec.template.spec.restartPolicy", "FieldValueNotSupported",
            "Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"");
        row("cron name", "batch", "CronJob",
            R"({"metadata":{"name":")" + std::string(53, 'c') +
                R"(","namespace":"d"},"spec":{"schedule":"@daily",
                "jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"Never",
                "containers":[{"name":"c","image":"i"}]}}}}}})",
            "metadata.name", "FieldValueInvalid",
            "Invalid value: \"" + std::string(53, 'c') + "\": must be no more than 52 characters");

        // Services
        row("service ports required", "", "Service", service(R"({"selector":{"app":"web"}})"),
            "spec.ports", "FieldValueRequired", "Required value");
        row("service port names", "", "Service", service(R"({"ports":[{"port":80},{"port":443}]})"),
            "spec.ports[0].name", "FieldValueRequired", "Required value");
        row("service port range", "", "Service", service(R"({"ports":[{"port":0}]})"),
            "spec.ports[0].port", "FieldValueInvalid",
            "Invalid value: 0: must be between 1 and 65535, inclusive");
        row("service type", "", "Service", service(R"({"type":"Magic","ports":[{"port":80}]})"),
            "spec.type", "FieldValueNotSupported",
            "Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", "
            "\"LoadBalancer\", \"NodePort\"");
        row("node port range", "", "Service",
            service(R"({"type":"NodePort","ports":[{"port":80,"nodePort":80}]})"),
            "spec.ports[0].nodePort", "FieldValueInvalid",
            "Invalid value: 80: provided port is not in the valid range. The range of valid "
            "ports is 30000-32767");
        row("duplicate service port", "", "Service",
            service(R"({"ports":[{"name":"a","port":80},{"name":"b","port":80}]})"),
            "spec.ports[1]", "FieldValueDuplicate",
            "Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", "
            "AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, "
            "IntVal:0, StrVal:\"\"}, NodePort:0}");
        row("service name 1035", "", "Service",
            R"({"metadata":{"name":"1web","namespace":"d"},"spec":{"ports":[{"port":80}]}})",
            "metadata.name", "FieldValueInvalid",
            "Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric "
            "characters or '-', start with an alphabetic character, and end with an "
            "alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation "
            "is '[a-z]([-a-z0-9]*[a-z0-9])?')");
        row("external name", "", "Service", service(R"({"type":"ExternalName"})"),
            "spec.externalName", "FieldValueRequired", "Required value");

        // Configuration
        row("config key", "", "ConfigMap",
            R"({"metadata":{"name":"c","namespace":"d"},"data":{"a b":"x"}})", "data[a b]",
            "FieldValueInvalid",
            "Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, "
            "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for "
            "validation is '[-._a-zA-Z0-9]+')");
        row("config too big", "", "ConfigMap",
            R"({"metadata":{"name":"c","namespace":"d"},"data":{"a":")" +
                std::string(1048577, 'x') + R"("}})",
            "", "FieldValueTooLong", "Too long: may not be more than 1048576 bytes");
        row("config immutable", "", "ConfigMap",
            R"({"metadata":{"name":"c","namespace":"d"},"immutable":true,"data":{"a":"2"}})",
            "data", "FieldValueForbidden", "Forbidden: field is immutable when `immutable` is set",
            R"({"metadata":{"name":"c","namespace":"d"},"immutable":true,"data":{"a":"1"}})");
        row("secret base64", "", "Secret",
            R"({"metadata":{"name":"s","namespace":"d"},"data":{"k":"ab!d"}})", "data[k]",
            "FieldValueInvalid",
            "Invalid value: \"<secret contents redacted>\": illegal base64 data at input byte 2");
        row("tls secret keys", "", "Secret",
            R"({"metadata":{"name":"s","namespace":"d"},"type":"kubernetes.io/tls",
                "data":{"tls.key":"eA=="}})",
            "data[tls.crt]", "FieldValueRequired", "Required value");
        row("secret type immutable", "", "Secret",
            R"({"metadata":{"name":"s","namespace":"d"},"type":"x/y"})", "type",
            "FieldValueInvalid", "Invalid value: \"x/y\": field is immutable",
            R"({"metadata":{"name":"s","namespace":"d"}})");

        // Networking
        row("ingress path type", "networking.k8s.io", "Ingress",
            R"({"metadata":{"name":"i","namespace":"d"},"spec":{"rules":[{"host":"a.example.com",
                "http":{"paths":[{"path":"/","backend":{"service":{"name":"web",
                "port":{"number":80}}}}]}}]}})",
            "spec.rules[0].http.paths[0].pathType", "FieldValueRequired",
            "Required value: pathType must be specified");
        row("ingress empty", "networking.k8s.io", "Ingress",
            R"({"metadata":{"name":"i","namespace":"d"},"spec":{}})", "spec", "FieldValueInvalid",
            "Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` "
            "must be specified");
        row("ingress backend port", "networking.k8s.io", "Ingress",
            R"({"metadata":{"name":"i","namespace":"d"},"spec":{"rules":[{"http":{"paths":[
                {"path":"/","pathType":"Prefix","backend":{"service":{"name":"web"}}}]}}]}})",
            "spec.rules[0].http.paths[0].backend", "FieldValueRequired",
            "Required value: port name or number is required");
        row("ingress ip host", "networking.k8s.io", "Ingress",
            R"({"metadata":{"name":"i","namespace":"d"},"spec":{"rules":[{"host":"10.0.0.1"}]}})",
            "spec.rules[0].host", "FieldValueInvalid",
            "Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address");
        row("policy type", "networking.k8s.io", "NetworkPolicy",
            R"({"metadata":{"name":"n","namespace":"d"},"spec":{"podSelector":{},
                "policyTypes":["Sideways"]}})",
            "spec.policyTypes[0]", "FieldValueNotSupported",
            "Unsupported value: \"Sideways\": supported values: \"Ingress\", \"Egress\"");

        // Nodes, storage, scheduling, RBAC, autoscaling, CRDs
        row("taint effect", "", "Node",
            R"({"metadata":{"name":"n1"},"spec":{"taints":[{"key":"k","effect":"Sometimes"}]}})",
            "spec.taints[0].effect", "FieldValueNotSupported",
            "Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", "
            "\"PreferNoSchedule\", \"NoExecute\"");
        row("pvc storage", "", "PersistentVolumeClaim",
            R"({"metadata":{"name":"c","namespace":"d"},"spec":{"accessModes":["ReadWriteOnce"]}})",
            "spec.resources[storage]", "FieldValueRequired", "Required value");
        row("pvc access modes", "", "PersistentVolumeClaim",
            R"({"metadata":{"name":"c","namespace":"d"},"spec":{"resources":{"requests":
                {"storage":"1Gi"}}}})",
            "spec.accessModes", "FieldValueRequired",
            "Required value: at least 1 access mode is required");
        row("role binding kind", "rbac.authorization.k8s.io", "ClusterRoleBinding",
            R"({"metadata":{"name":"b"},"roleRef":{"kind":"Role","name":"r"}})", "roleRef.kind",
            "FieldValueNotSupported",
            "Unsupported value: \"Role\": supported values: \"ClusterRole\"");
        row("role rule verbs", "rbac.authorization.k8s.io", "Role",
            R"({"metadata":{"name":"r","namespace":"d"},"rules":[{"apiGroups":[""],
                "resources":["pods"]}]})",
            "rules[0].verbs", "FieldValueRequired",
            "Required value: verbs must contain at least one value");
        row("role ref immutable", "rbac.authorization.k8s.io", "RoleBinding",
            R"({"metadata":{"name":"b","namespace":"d"},"roleRef":{"kind":"ClusterRole",
                "name":"edit"}})",
            "roleRef", "FieldValueInvalid",
            "Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", "
            "Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef",
            R"({"metadata":{"name":"b","namespace":"d"},"roleRef":{"kind":"ClusterRole",
                "name":"view"}})");
        row("hpa max replicas", "autoscaling", "HorizontalPodAutoscaler",
            R"({"metadata":{"name":"h","namespace":"d"},"spec":{"maxReplicas":0,
                "scaleTargetRef":{"kind":"Deployment","name":"web"}}})",
            "spec.maxReplicas", "FieldValueInvalid", "Invalid value: 0: must be greater than 0");
        row("priority value", "scheduling.k8s.io", "PriorityClass",
            R"({"metadata":{"name":"huge"},"value":2000000000})", "value", "FieldValueForbidden",
            "Forbidden: maximum allowed value of a user defined priority is 1000000000");
        row("storage class provisioner", "storage.k8s.io", "StorageClass",
            R"({"metadata":{"name":"sc"}})", "provisioner", "FieldValueRequired", "Required value");
        row("crd name", "apiextensions.k8s.io", "CustomResourceDefinition",
            R"({"metadata":{"name":"crontabs.example.com"},"spec":{"group":"stable.example.com",
                "scope":"Namespaced","names":{"kind":"CronTab","plural":"crontabs"},
                "versions":[{"name":"v1","served":true,"storage":true,
                "schema":{"openAPIV3Schema":{"type":"object"}}}]}})",
            "metadata.name", "FieldValueInvalid",
            "Invalid value: \"crontabs.example.com\": must be spec.names.plural+\".\"+spec.group");
        row("crd storage version", "apiextensions.k8s.io", "CustomResourceDefinition",
            R"({"metadata":{"name":"crontabs.stable.example.com"},"spec":{
                "group":"stable.example.com","scope":"Namespaced",
                "names":{"kind":"CronTab","plural":"crontabs"},
                "versions":[{"name":"v1","served":true,"storage":false,
                "schema":{"openAPIV3Schema":{"type":"object"}}}]}})",
            "spec.versions", "FieldValueInvalid",
            "Invalid value: []apiextensions.CustomResourceDefinitionVersion{...}: must have "
            "exactly one version marked as storage version");
    }

    void rules() {
        QFETCH(QString, group);
        QFETCH(QString, kind);
        QFETCH(QString, object);
        QFETCH(QString, old);
        QFETCH(QString, field);
        QFETCH(QString, reason);
        QFETCH(QString, message);
        const json parsed = json::parse(object.toStdString());
        FieldCauses causes;
        if (old.isEmpty()) {
            causes = validate(group.toStdString(), kind.toStdString(), parsed);
        } else {
            const json oldParsed = json::parse(old.toStdString());
            causes = validate(group.toStdString(), kind.toStdString(), parsed, &oldParsed);
        }
        QVERIFY2(contains(causes, field.toStdString(), reason.toStdString(), message.toStdString()),
                 qPrintable("got:\n" + describe(causes)));
    }

    // Well-formed manifests of every kind pass: the rules above do not fire on good input.
    void validObjectsPass_data() {
        QTest::addColumn<QString>("group");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("object");
        QTest::newRow("pod") << ""
                             << "Pod"
                             << q(pod(R"({"volumes":[{"name":"data"}],"containers":[{"name":"web",
                                  "image":"nginx:1.27","ports":[{"name":"http","containerPort":80}],
                                  "env":[{"name":"MODE","value":"prod"}],
                                  "volumeMounts":[{"name":"data","mountPath":"/data"}],
                                  "resources":{"requests":{"cpu":"100m","memory":"64Mi"},
                                  "limits":{"cpu":"1","memory":"128Mi"}},
                                  "readinessProbe":{"httpGet":{"path":"/healthz","port":"http"}}}]})"));
        QTest::newRow("deployment")
            << "apps"
            << "Deployment"
            << q(deployment(
                   std::string(R"({"replicas":3,"selector":{"matchLabels":{"app":"web"}},)") +
                   kTemplate + "}"));
        QTest::newRow("statefulset")
            << "apps"
            << "StatefulSet"
            << R"({"metadata":{"name":"db","namespace":"d"},"spec":{"serviceName":"db",
                  "selector":{"matchLabels":{"app":"db"}},"template":{"metadata":{"labels":
                  {"app":"db"}},"spec":{"containers":[{"name":"db","image":"postgres",
                  "volumeMounts":[{"name":"data","mountPath":"/var/lib/postgresql"}]}]}},
                  "volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":
                  ["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]}})";
        QTest::newRow("daemonset")
            << "apps"
            << "DaemonSet"
            << R"({"metadata":{"name":"ds","namespace":"d"},"spec":{"selector":{"matchLabels":
                  {"app":"ds"}},"template":{"metadata":{"labels":{"app":"ds"}},
                  "spec":{"containers":[{"name":"c","image":"i"}]}}}})";
        QTest::newRow("job") << "batch"
                             << "Job"
                             << R"({"metadata":{"name":"pi","namespace":"d","uid":"u1"},"spec":
                                   {"template":{"spec":{"restartPolicy":"Never",
                                   "containers":[{"name":"pi","image":"perl"}]}}}})";
        QTest::newRow("cronjob") << "batch"
                                 << "CronJob"
                                 << R"({"metadata":{"name":"c","namespace":"d"},"spec":
                                       {"schedule":"*/5 9-17 * jan-jun mon-fri","jobTemplate":
                                       {"spec":{"template":{"spec":{"restartPolicy":"OnFailure",
                                       "containers":[{"name":"c","image":"i"}]}}}}}})";
        QTest::newRow("service") << ""
                                 << "Service"
                                 << q(service(R"({"type":"NodePort","selector":{"app":"web"},
                                      "ports":[{"name":"http","port":80,"nodePort":30080},
                                      {"name":"https","port":443,"targetPort":"https"}]})"));
        QTest::newRow("headless") << ""
                                  << "Service"
                                  << q(service(R"({"clusterIP":"None","selector":{"app":"db"}})"));
        QTest::newRow("configmap") << ""
                                   << "ConfigMap"
                                   << R"({"metadata":{"name":"c","namespace":"d"},
                                         "data":{"app.properties":"a=b"}})";
        QTest::newRow("secret") << ""
                                << "Secret"
                                << R"({"metadata":{"name":"s","namespace":"d"},
                                      "data":{"password":"c2VjcmV0"},"stringData":{"u":"x"}})";
        QTest::newRow("namespace") << ""
                                   << "Namespace"
                                   << R"({"metadata":{"name":"team-a"}})";
        QTest::newRow("node") << ""
                              << "Node"
                              << R"({"metadata":{"name":"node-1"},"spec":{"podCIDRs":
                                    ["10.244.0.0/24"],"taints":[{"key":"dedicated",
                                    "value":"gpu","effect":"NoSchedule"}]}})";
        QTest::newRow("pvc") << ""
                             << "PersistentVolumeClaim"
                             << R"({"metadata":{"name":"c","namespace":"d"},"spec":{"accessModes":
                                   ["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}})";
        QTest::newRow("pv") << ""
                            << "PersistentVolume"
                            << R"({"metadata":{"name":"pv1"},"spec":{"capacity":{"storage":"1Gi"},
                                  "accessModes":["ReadWriteOnce"],"hostPath":{"path":"/d"}}})";
        QTest::newRow("ingress")
            << "networking.k8s.io"
            << "Ingress"
            << R"({"metadata":{"name":"i","namespace":"d"},"spec":{"ingressClassName":"nginx",
                  "tls":[{"hosts":["*.example.com"]}],"rules":[{"host":"a.example.com",
                  "http":{"paths":[{"path":"/","pathType":"Prefix","backend":{"service":
                  {"name":"web","port":{"number":80}}}}]}}]}})";
        QTest::newRow("networkpolicy")
            << "networking.k8s.io"
            << "NetworkPolicy"
            << R"({"metadata":{"name":"n","namespace":"d"},"spec":{"podSelector":{"matchLabels":
                  {"app":"db"}},"ingress":[{"from":[{"podSelector":{}},{"ipBlock":
                  {"cidr":"10.0.0.0/8"}}],"ports":[{"port":5432}]}]}})";
        QTest::newRow("endpointslice")
            << "discovery.k8s.io"
            << "EndpointSlice"
            << R"({"metadata":{"name":"web-x","namespace":"d"},"addressType":"IPv4",
                  "endpoints":[{"addresses":["10.244.0.5"]}],"ports":[{"name":"http","port":80}]})";
        QTest::newRow("clusterrolebinding")
            << "rbac.authorization.k8s.io"
            << "ClusterRoleBinding"
            << R"({"metadata":{"name":"b"},"roleRef":{"kind":"ClusterRole","name":"view"},
                  "subjects":[{"kind":"ServiceAccount","name":"default","namespace":"d"},
                  {"kind":"User","name":"jane"}]})";
        QTest::newRow("hpa") << "autoscaling"
                             << "HorizontalPodAutoscaler"
                             << R"({"metadata":{"name":"h","namespace":"d"},"spec":{"maxReplicas":5,
                                   "scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment",
                                   "name":"web"}}})";
        QTest::newRow("crd") << "apiextensions.k8s.io"
                             << "CustomResourceDefinition"
                             << R"({"metadata":{"name":"crontabs.stable.example.com"},"spec":{
                  "group":"stable.example.com","scope":"Namespaced","names":{"kind":"CronTab",
                  "plural":"crontabs","shortNames":["ct"]},"versions":[{"name":"v1","served":true,
                  "storage":true,"schema":{"openAPIV3Schema":{"type":"object"}}}]}})";
        QTest::newRow("lease") << "coordination.k8s.io"
                               << "Lease"
                               << R"({"metadata":{"name":"l","namespace":"d"},"spec":{
                                     "holderIdentity":"a","leaseDurationSeconds":15}})";
        QTest::newRow("event") << ""
                               << "Event"
                               << R"({"metadata":{"name":"e.1","namespace":"d"},"involvedObject":
                                     {"kind":"Pod","name":"p","namespace":"d"},"reason":"Started",
                                     "message":"ok","type":"Normal"})";
    }

    void validObjectsPass() {
        QFETCH(QString, group);
        QFETCH(QString, kind);
        QFETCH(QString, object);
        const auto causes =
            validate(group.toStdString(), kind.toStdString(), json::parse(object.toStdString()));
        QVERIFY2(causes.empty(), qPrintable(describe(causes)));
    }

    void invalidStatusShape() {
        const auto type = typeOf("apps", "Deployment");
        const FieldCause cause{"FieldValueInvalid",
                               "Invalid value: map[string]string{\"app\":\"web\"}: `selector` does "
                               "not match template `labels`",
                               "spec.template.metadata.labels"};
        const json status = slipway::api::invalidStatus(*type, "web", {cause});
        const json expected = {
            {"kind", "Status"},
            {"apiVersion", "v1"},
            {"metadata", json::object()},
            {"status", "Failure"},
            {"message",
             "Deployment.apps \"web\" is invalid: spec.template.metadata.labels: Invalid value: "
             "map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"},
            {"reason", "Invalid"},
            {"details",
             {{"name", "web"},
              {"group", "apps"},
              {"kind", "Deployment"},
              {"causes",
               {{{"reason", "FieldValueInvalid"},
                 {"message", cause.message},
                 {"field", "spec.template.metadata.labels"}}}}}},
            {"code", 422}};
        QVERIFY2(status == expected, status.dump().c_str());
    }

    void invalidStatusJoinsSeveralCauses() {
        const auto type = typeOf("", "Pod");
        const FieldCauses causes = {
            {"FieldValueRequired", "Required value", "spec.containers[0].image"},
            {"FieldValueInvalid", "Invalid value: \"Web\": x", "spec.containers[0].name"},
            {"FieldValueRequired", "Required value", "spec.containers[0].image"}};
        const json status = slipway::api::invalidStatus(*type, "web", causes);
        QCOMPARE(q(status["message"].get<std::string>()),
                 QString("Pod \"web\" is invalid: [spec.containers[0].image: Required value, "
                         "spec.containers[0].name: Invalid value: \"Web\": x]"));
        QVERIFY(!status["details"].contains("group"));  // the core group is omitted
        QCOMPARE(status["details"]["causes"].size(), std::size_t{3});
        QCOMPARE(status["code"].get<int>(), 422);
    }

    void missingSelectorGivesTwoCausesLikeKube() {
        const auto causes = validate("apps", "Deployment",
                                     json::parse(deployment(std::string("{") + kTemplate + "}")));
        QCOMPARE(causes.size(), std::size_t{2});
        const auto type = typeOf("apps", "Deployment");
        QCOMPARE(q(slipway::api::invalidMessage(*type, "web", causes)),
                 QString("Deployment.apps \"web\" is invalid: [spec.selector: Required value, "
                         "spec.template.metadata.labels: Invalid value: "
                         "map[string]string{\"app\":\"web\"}: `selector` does not match template "
                         "`labels`]"));
    }

    void objectMetaUpdate() {
        const json old = R"({"metadata":{"name":"a","namespace":"d","uid":"1",
                             "creationTimestamp":"2024-01-01T00:00:00Z"}})"_json;
        json now = old;
        now["metadata"]["uid"] = "2";
        const auto causes = slipway::api::validateObjectMetaUpdate(now, old);
        QCOMPARE(causes.size(), std::size_t{1});
        QCOMPARE(q(causes[0].field), QString("metadata.uid"));
        QCOMPARE(q(causes[0].message), QString("Invalid value: \"2\": field is immutable"));
        json deleting = old;
        deleting["metadata"]["deletionTimestamp"] = "2024-01-02T00:00:00Z";
        json more = deleting;
        more["metadata"]["finalizers"] = {"example.com/x"};
        const auto finalizerCauses = slipway::api::validateObjectMetaUpdate(more, deleting);
        QCOMPARE(finalizerCauses.size(), std::size_t{1});
        QCOMPARE(q(finalizerCauses[0].message),
                 QString("Forbidden: no new finalizers can be added if the object is being "
                         "deleted, found new finalizers []string{\"example.com/x\"}"));
    }

    void garbageDoesNotThrow() {
        for (const auto& type : registry().all()) {
            for (const char* text : {R"({"metadata":[],"spec":7,"data":"x","rules":{}})",
                                     R"({"spec":{"containers":[1,{"ports":"x"}],
                                         "template":[],"selector":5,"ports":[null]}})"}) {
                json object = json::parse(text);
                if (type->defaulter) {
                    type->defaulter(object);
                }
                (void)slipway::api::validateObjectMeta(object, *type);
                if (type->validator) {
                    (void)type->validator(object, &object);
                    (void)type->validator(object, nullptr);
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TstValidation)
#include "tst_validation.moc"
