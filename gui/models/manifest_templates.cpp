// SPDX-License-Identifier: Apache-2.0
#include "gui/models/manifest_templates.h"

namespace slipway::gui {

namespace {

std::string replaceAll(std::string text, std::string_view from, std::string_view to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

const char* templateText(std::string_view kind) {
    if (kind == "Deployment") {
        return "apiVersion: apps/v1\n"
               "kind: Deployment\n"
               "metadata:\n"
               "  name: NAME\n"
               "  labels:\n"
               "    app: NAME\n"
               "spec:\n"
               "  replicas: 2  # pods kept running\n"
               "  selector:\n"
               "    matchLabels:\n"
               "      app: NAME  # must match the template's labels\n"
               "  template:\n"
               "    metadata:\n"
               "      labels:\n"
               "        app: NAME\n"
               "    spec:\n"
               "      containers:\n"
               "        - name: web\n"
               "          image: slipway.local/hello:1\n"
               "          ports:\n"
               "            - containerPort: 8080\n";
    }
    if (kind == "Service") {
        return "apiVersion: v1\n"
               "kind: Service\n"
               "metadata:\n"
               "  name: NAME\n"
               "spec:\n"
               "  type: ClusterIP  # or NodePort, LoadBalancer\n"
               "  selector:\n"
               "    app: NAME  # the pods this Service sends traffic to\n"
               "  ports:\n"
               "    - port: 80\n"
               "      targetPort: 8080\n";
    }
    if (kind == "ConfigMap") {
        return "apiVersion: v1\n"
               "kind: ConfigMap\n"
               "metadata:\n"
               "  name: NAME\n"
               "data:\n"
               "  # keys become files or environment variables of the pods that use them\n"
               "  greeting: hello\n";
    }
    if (kind == "Secret") {
        return "apiVersion: v1\n"
               "kind: Secret\n"
               "metadata:\n"
               "  name: NAME\n"
               "type: Opaque\n"
               "stringData:\n"
               "  # stored base64-encoded under data; readable by anyone who can read Secrets\n"
               "  password: change-me\n";
    }
    if (kind == "Job") {
        return "apiVersion: batch/v1\n"
               "kind: Job\n"
               "metadata:\n"
               "  name: NAME\n"
               "spec:\n"
               "  completions: 1\n"
               "  parallelism: 1\n"
               "  backoffLimit: 4  # retries before the Job fails\n"
               "  template:\n"
               "    spec:\n"
               "      restartPolicy: Never  # or OnFailure\n"
               "      containers:\n"
               "        - name: task\n"
               "          image: slipway.local/busybox:1\n"
               "          command: [\"sh\", \"-c\", \"echo done\"]\n";
    }
    if (kind == "Ingress") {
        return "apiVersion: networking.k8s.io/v1\n"
               "kind: Ingress\n"
               "metadata:\n"
               "  name: NAME\n"
               "spec:\n"
               "  ingressClassName: slipway\n"
               "  rules:\n"
               "    - host: NAME.example.test\n"
               "      http:\n"
               "        paths:\n"
               "          - path: /\n"
               "            pathType: Prefix\n"
               "            backend:\n"
               "              service:\n"
               "                name: NAME\n"
               "                port:\n"
               "                  number: 80\n";
    }
    if (kind == "PersistentVolumeClaim") {
        return "apiVersion: v1\n"
               "kind: PersistentVolumeClaim\n"
               "metadata:\n"
               "  name: NAME\n"
               "spec:\n"
               "  accessModes:\n"
               "    - ReadWriteOnce\n"
               "  storageClassName: standard\n"
               "  resources:\n"
               "    requests:\n"
               "      storage: 1Gi\n";
    }
    return "";
}

}  // namespace

const std::vector<std::string>& manifestTemplateKinds() {
    static const std::vector<std::string> kinds = {
        "Deployment", "Service", "ConfigMap", "Secret", "Job", "Ingress", "PersistentVolumeClaim"};
    return kinds;
}

std::string manifestTemplate(std::string_view kind, std::string_view name) {
    return replaceAll(templateText(kind), "NAME", name);
}

}  // namespace slipway::gui
