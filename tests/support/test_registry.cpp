// SPDX-License-Identifier: Apache-2.0
#include "tests/support/test_registry.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace slipway::testing {

namespace {

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

std::uint16_t freeLoopbackPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

std::string sha256Digest(const std::string& content) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(content.data(), content.size(), digest, &length, EVP_sha256(), nullptr);
    static const char* kHex = "0123456789abcdef";
    std::string out = "sha256:";
    for (unsigned int i = 0; i < length; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0xF];
    }
    return out;
}

RawResponse rawHttp(std::uint16_t port, const std::string& method, const std::string& target,
                    const std::map<std::string, std::string>& headers, const std::string& body) {
    RawResponse out;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return out;
    }
    std::string request =
        method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
        "\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    for (const auto& [name, value] : headers) {
        request += name + ": " + value + "\r\n";
    }
    request += "\r\n" + body;
    std::size_t sent = 0;
    while (sent < request.size()) {
        const ssize_t n = ::write(fd, request.data() + sent, request.size() - sent);
        if (n <= 0) {
            ::close(fd);
            return out;
        }
        sent += static_cast<std::size_t>(n);
    }
    std::string raw;
    char buffer[8192];
    ssize_t n = 0;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0) {
        raw.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    const auto end = raw.find("\r\n\r\n");
    if (end == std::string::npos || raw.size() < 12) {
        return out;
    }
    out.status = std::stoi(raw.substr(9, 3));
    std::size_t line = raw.find("\r\n") + 2;
    while (line < end) {
        const auto next = raw.find("\r\n", line);
        const std::string header = raw.substr(line, next - line);
        const auto colon = header.find(':');
        if (colon != std::string::npos) {
            std::string name = header.substr(0, colon);
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            out.headers[name] = header.substr(header.find_first_not_of(' ', colon + 1));
        }
        line = next + 2;
    }
    out.body = raw.substr(end + 4);
    return out;
}

bool TestRegistry::installed() {
    return std::filesystem::exists(kBinary);
}

TestRegistry::~TestRegistry() {
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }
}

std::string TestRegistry::address() const {
    return "127.0.0.1:" + std::to_string(m_port);
}

bool TestRegistry::start(const std::filesystem::path& dir) {
    m_port = freeLoopbackPort();
    std::filesystem::create_directories(dir);
    const auto config = dir / "registry.yml";
    std::ofstream(config) << "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: "
                             "true\nstorage:\n  filesystem:\n    rootdirectory: "
                          << (dir / "storage").string() << "\nhttp:\n  addr: 127.0.0.1:" << m_port
                          << "\n";
    // It logs every 404 at error level; tests provoke some on purpose.
    m_process.setStandardErrorFile(QProcess::nullDevice());
    m_process.start(QString::fromLatin1(kBinary),
                    {QStringLiteral("serve"), QString::fromStdString(config.string())});
    if (!m_process.waitForStarted()) {
        return false;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        if (rawHttp(m_port, "GET", "/v2/").status == 200) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

bool TestRegistry::pushBlob(const std::string& repo, const std::string& content) {
    auto started = rawHttp(m_port, "POST", "/v2/" + repo + "/blobs/uploads/");
    if (started.status != 202) {
        return false;
    }
    std::string location = started.headers["location"];
    const std::string origin = "http://" + address();
    if (location.starts_with(origin)) {
        location = location.substr(origin.size());
    }
    location += (location.find('?') == std::string::npos ? "?" : "&");
    location += "digest=" + sha256Digest(content);
    return rawHttp(m_port, "PUT", location, {{"Content-Type", "application/octet-stream"}}, content)
               .status == 201;
}

bool TestRegistry::pushManifest(const std::string& repo, const std::string& reference,
                                const std::string& mediaType, const std::string& content) {
    return rawHttp(m_port, "PUT", "/v2/" + repo + "/manifests/" + reference,
                   {{"Content-Type", mediaType}}, content)
               .status == 201;
}

bool TestRegistry::pushOciArchive(const std::filesystem::path& tarball, const std::string& repo,
                                  const std::string& tag, const std::filesystem::path& scratch) {
    std::filesystem::create_directories(scratch);
    QProcess tar;
    tar.start(QStringLiteral("tar"), {QStringLiteral("-xf"), QString::fromStdString(tarball),
                                      QStringLiteral("-C"), QString::fromStdString(scratch)});
    if (!tar.waitForFinished(30000) || tar.exitCode() != 0) {
        return false;
    }
    const auto blob = [&](const std::string& digest) {
        return readFile(scratch / "blobs" / "sha256" / digest.substr(7));
    };
    const auto index = nlohmann::json::parse(readFile(scratch / "index.json"), nullptr, false);
    if (!index.is_object() || index.value("manifests", nlohmann::json::array()).empty()) {
        return false;
    }
    const std::string manifestText = blob(index["manifests"][0].value("digest", ""));
    const auto manifest = nlohmann::json::parse(manifestText, nullptr, false);
    if (!manifest.is_object()) {
        return false;
    }
    if (!pushBlob(repo, blob(manifest["config"].value("digest", "")))) {
        return false;
    }
    for (const auto& layer : manifest.value("layers", nlohmann::json::array())) {
        if (!pushBlob(repo, blob(layer.value("digest", "")))) {
            return false;
        }
    }
    return pushManifest(repo, tag,
                        manifest.value("mediaType", "application/vnd.oci.image.manifest.v1+json"),
                        manifestText);
}

}  // namespace slipway::testing
