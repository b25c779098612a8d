// SPDX-License-Identifier: Apache-2.0
#include "engine/pki/kubeconfig.h"

#include <algorithm>

#include <yaml-cpp/yaml.h>

#include "engine/core/atomic_file.h"

namespace slipway::pki {
namespace {

std::string scalar(const YAML::Node& node, const char* key) {
    const auto value = node[key];
    return value && value.IsScalar() ? value.as<std::string>() : std::string();
}

template <typename T>
const T* findByName(const std::vector<T>& items, const std::string& name) {
    const auto it = std::find_if(items.begin(), items.end(),
                                 [&name](const T& item) { return item.name == name; });
    return it == items.end() ? nullptr : &*it;
}

}  // namespace

Kubeconfig Kubeconfig::forServer(const std::string& name, const std::string& server) {
    Kubeconfig config;
    config.clusters.push_back({name, server, {}, false});
    config.users.push_back({name, {}, {}, {}});
    config.contexts.push_back({name, name, name, {}});
    config.currentContext = name;
    return config;
}

Kubeconfig Kubeconfig::forTlsServer(const std::string& name, const std::string& server,
                                    const std::string& authorityPem, const CertifiedKey& client) {
    Kubeconfig config = forServer(name, server);
    config.clusters.front().certificateAuthorityData = base64Encode(authorityPem);
    config.users.front().clientCertificateData = base64Encode(client.certificatePem);
    config.users.front().clientKeyData = base64Encode(client.keyPem);
    return config;
}

std::string Kubeconfig::toYaml() const {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "apiVersion" << YAML::Value << "v1";
    out << YAML::Key << "kind" << YAML::Value << "Config";
    out << YAML::Key << "preferences" << YAML::Value << YAML::BeginMap << YAML::EndMap;

    out << YAML::Key << "clusters" << YAML::Value << YAML::BeginSeq;
    for (const auto& cluster : clusters) {
        out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << cluster.name;
        out << YAML::Key << "cluster" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "server" << YAML::Value << cluster.server;
        if (!cluster.certificateAuthorityData.empty()) {
            out << YAML::Key << "certificate-authority-data" << YAML::Value
                << cluster.certificateAuthorityData;
        }
        if (cluster.insecureSkipTlsVerify) {
            out << YAML::Key << "insecure-skip-tls-verify" << YAML::Value << true;
        }
        out << YAML::EndMap << YAML::EndMap;
    }
    out << YAML::EndSeq;

    out << YAML::Key << "users" << YAML::Value << YAML::BeginSeq;
    for (const auto& user : users) {
        out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << user.name;
        out << YAML::Key << "user" << YAML::Value << YAML::BeginMap;
        if (!user.clientCertificateData.empty()) {
            out << YAML::Key << "client-certificate-data" << YAML::Value
                << user.clientCertificateData;
        }
        if (!user.clientKeyData.empty()) {
            out << YAML::Key << "client-key-data" << YAML::Value << user.clientKeyData;
        }
        if (!user.token.empty()) {
            out << YAML::Key << "token" << YAML::Value << user.token;
        }
        out << YAML::EndMap << YAML::EndMap;
    }
    out << YAML::EndSeq;

    out << YAML::Key << "contexts" << YAML::Value << YAML::BeginSeq;
    for (const auto& context : contexts) {
        out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << context.name;
        out << YAML::Key << "context" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "cluster" << YAML::Value << context.cluster;
        out << YAML::Key << "user" << YAML::Value << context.user;
        if (!context.nameSpace.empty()) {
            out << YAML::Key << "namespace" << YAML::Value << context.nameSpace;
        }
        out << YAML::EndMap << YAML::EndMap;
    }
    out << YAML::EndSeq;

    out << YAML::Key << "current-context" << YAML::Value << currentContext;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

core::Result<Kubeconfig> Kubeconfig::fromYaml(const std::string& text) {
    try {
        const YAML::Node root = YAML::Load(text);
        Kubeconfig config;
        if (!root || root.IsNull()) {
            return config;  // an empty file is an empty kubeconfig, as clientcmd treats it
        }
        if (!root.IsMap()) {
            return core::Error(core::ErrorCode::Invalid, "kubeconfig is not a YAML mapping");
        }
        for (const auto& item : root["clusters"]) {
            const auto body = item["cluster"];
            config.clusters.push_back(
                {scalar(item, "name"), scalar(body, "server"),
                 scalar(body, "certificate-authority-data"),
                 body["insecure-skip-tls-verify"] && body["insecure-skip-tls-verify"].as<bool>()});
        }
        for (const auto& item : root["users"]) {
            const auto body = item["user"];
            config.users.push_back({scalar(item, "name"), scalar(body, "client-certificate-data"),
                                    scalar(body, "client-key-data"), scalar(body, "token")});
        }
        for (const auto& item : root["contexts"]) {
            const auto body = item["context"];
            config.contexts.push_back({scalar(item, "name"), scalar(body, "cluster"),
                                       scalar(body, "user"), scalar(body, "namespace")});
        }
        config.currentContext = scalar(root, "current-context");
        return config;
    } catch (const YAML::Exception& e) {
        return core::Error(core::ErrorCode::Invalid, std::string("kubeconfig: ") + e.what());
    }
}

namespace {

/// Reads the file a kubeconfig names by path (relative to the kubeconfig's folder, as
/// clientcmd resolves it) into `data`, base64 as the *-data fields hold it, unless `data` is
/// set already (clientcmd: the inline data wins).
core::Result<void> inlineFile(const YAML::Node& body, const char* field,
                              const std::filesystem::path& base, std::string& data,
                              bool encode = true) {
    const std::string file = scalar(body, field);
    if (file.empty() || !data.empty()) {
        return {};
    }
    std::filesystem::path path(file);
    if (path.is_relative()) {
        path = base / path;
    }
    auto content = core::readFile(path);
    if (!content) {
        return content.error().wrap(std::string(field) + " " + path.string());
    }
    data = encode ? base64Encode(*content) : *content;
    if (!encode) {
        // A token file holds the token and perhaps a newline.
        while (!data.empty() && (data.back() == '\n' || data.back() == '\r')) {
            data.pop_back();
        }
    }
    return {};
}

/// The file-path forms of kubectl's kubeconfig (certificate-authority, client-certificate,
/// client-key, tokenFile), which minikube and others write, read into the inline fields: a
/// Kubeconfig carries its credentials, whatever the file it came from looked like.
core::Result<void> inlineFiles(Kubeconfig& config, const std::string& text,
                               const std::filesystem::path& base) {
    try {
        const YAML::Node root = YAML::Load(text);
        if (!root || !root.IsMap()) {
            return {};
        }
        std::size_t i = 0;
        for (const auto& item : root["clusters"]) {
            if (i < config.clusters.size()) {
                if (auto read = inlineFile(item["cluster"], "certificate-authority", base,
                                           config.clusters[i].certificateAuthorityData);
                    !read) {
                    return read.error();
                }
            }
            ++i;
        }
        i = 0;
        for (const auto& item : root["users"]) {
            if (i < config.users.size()) {
                KubeconfigUser& user = config.users[i];
                const auto body = item["user"];
                for (auto read :
                     {inlineFile(body, "client-certificate", base, user.clientCertificateData),
                      inlineFile(body, "client-key", base, user.clientKeyData),
                      inlineFile(body, "tokenFile", base, user.token, false)}) {
                    if (!read) {
                        return read.error();
                    }
                }
            }
            ++i;
        }
        return {};
    } catch (const YAML::Exception& e) {
        return core::Error(core::ErrorCode::Invalid, std::string("kubeconfig: ") + e.what());
    }
}

}  // namespace

core::Result<Kubeconfig> Kubeconfig::load(const std::filesystem::path& path) {
    auto text = core::readFile(path);
    if (!text) {
        return text.error();
    }
    auto parsed = fromYaml(*text);
    if (!parsed) {
        return parsed.error().wrap(path.string());
    }
    if (auto files = inlineFiles(*parsed, *text, path.parent_path()); !files) {
        return files.error().wrap(path.string());
    }
    return parsed;
}

core::Result<void> Kubeconfig::save(const std::filesystem::path& path) const {
    return core::writeFileAtomically(path, toYaml(), 0600);
}

const KubeconfigContext* Kubeconfig::findContext(const std::string& name) const {
    return findByName(contexts, name);
}

const KubeconfigCluster* Kubeconfig::findCluster(const std::string& name) const {
    return findByName(clusters, name);
}

const KubeconfigUser* Kubeconfig::findUser(const std::string& name) const {
    return findByName(users, name);
}

}  // namespace slipway::pki
