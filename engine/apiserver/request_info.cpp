// SPDX-License-Identifier: Apache-2.0
#include "engine/apiserver/request_info.h"

#include <charconv>
#include <vector>

namespace slipway::apiserver {
namespace {

std::vector<std::string_view> splitPath(std::string_view path) {
    std::vector<std::string_view> parts;
    while (!path.empty()) {
        if (path.front() == '/') {
            path.remove_prefix(1);
            continue;
        }
        const auto slash = path.find('/');
        parts.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) {
            break;
        }
        path.remove_prefix(slash);
    }
    return parts;
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

}  // namespace

core::Result<std::string> percentDecode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out.push_back(text[i]);
            continue;
        }
        if (i + 2 >= text.size() || hexValue(text[i + 1]) < 0 || hexValue(text[i + 2]) < 0) {
            return core::Error(core::ErrorCode::BadRequest,
                               "invalid URL escape \"" + std::string(text.substr(i, 3)) + "\"");
        }
        out.push_back(static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2])));
        i += 2;
    }
    return out;
}

core::Result<QueryParameters> QueryParameters::parse(std::string_view query) {
    QueryParameters parameters;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto item = query.substr(0, amp);
        if (!item.empty()) {
            const auto equals = item.find('=');
            auto name = percentDecode(item.substr(0, equals));
            // In a query, '+' means space (application/x-www-form-urlencoded).
            std::string rawValue(equals == std::string_view::npos ? std::string_view()
                                                                  : item.substr(equals + 1));
            for (char& c : rawValue) {
                if (c == '+') {
                    c = ' ';
                }
            }
            auto value = percentDecode(rawValue);
            if (!name) {
                return name.error();
            }
            if (!value) {
                return value.error();
            }
            parameters.m_values.emplace(std::move(*name), std::move(*value));
        }
        if (amp == std::string_view::npos) {
            break;
        }
        query.remove_prefix(amp + 1);
    }
    return parameters;
}

std::string QueryParameters::get(std::string_view name, std::string_view fallback) const {
    const auto it = m_values.find(name);
    return it == m_values.end() ? std::string(fallback) : it->second;
}

bool QueryParameters::flag(std::string_view name, bool fallback) const {
    const auto it = m_values.find(name);
    if (it == m_values.end()) {
        return fallback;
    }
    return it->second == "true" || it->second == "1" || it->second.empty();
}

core::Result<std::optional<long long>> QueryParameters::integer(std::string_view name) const {
    const auto it = m_values.find(name);
    if (it == m_values.end() || it->second.empty()) {
        return std::optional<long long>();
    }
    long long value = 0;
    const auto& text = it->second;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        return core::Error(core::ErrorCode::BadRequest,
                           "invalid value \"" + text + "\" for parameter " + std::string(name));
    }
    return std::optional<long long>(value);
}

core::Result<RequestInfo> parseRequestInfo(std::string_view method, std::string_view path,
                                           bool watch) {
    RequestInfo info;
    info.path = std::string(path);
    const auto parts = splitPath(path);
    if (parts.empty() || (parts[0] != "api" && parts[0] != "apis")) {
        return info;
    }
    std::vector<std::string> segments;
    for (const auto part : parts) {
        auto decoded = percentDecode(part);
        if (!decoded) {
            return decoded.error();
        }
        segments.push_back(std::move(*decoded));
    }
    info.apiPrefix = segments[0];
    std::size_t next = 1;
    if (info.apiPrefix == "apis") {
        if (segments.size() < 3) {
            info.groupPath = info.path;  // /apis or /apis/{group}: discovery
            return info;
        }
        info.group = segments[1];
        info.version = segments[2];
        next = 3;
    } else {
        if (segments.size() < 2) {
            info.groupPath = info.path;  // /api: discovery
            return info;
        }
        info.version = segments[1];
        next = 2;
    }
    if (segments.size() == next) {
        info.groupPath = info.path;  // /api/v1, /apis/apps/v1: resource lists
        return info;
    }
    info.isResourceRequest = true;

    std::vector<std::string> rest(segments.begin() + static_cast<std::ptrdiff_t>(next),
                                  segments.end());
    // /namespaces/{ns}/{resource}... addresses a namespaced resource; /namespaces and
    // /namespaces/{name}[/status|/finalize] address the namespaces themselves.
    if (rest[0] == "namespaces" && rest.size() >= 3 && rest[2] != "status" &&
        rest[2] != "finalize") {
        info.nameSpace = rest[1];
        rest.erase(rest.begin(), rest.begin() + 2);
    }
    info.resource = rest[0];
    if (rest.size() >= 2) {
        info.name = rest[1];
    }
    if (rest.size() >= 3) {
        info.subresource = rest[2];
    }
    if (rest.size() > 3 && info.subresource != "proxy") {
        return core::Error(core::ErrorCode::NotFound,
                           "the server could not find the requested resource");
    }

    const bool collection = info.name.empty();
    if (method == "GET" || method == "HEAD") {
        info.verb = collection ? (watch ? "watch" : "list") : (watch ? "watch" : "get");
    } else if (method == "POST") {
        info.verb = "create";
    } else if (method == "PUT") {
        info.verb = "update";
    } else if (method == "PATCH") {
        info.verb = "patch";
    } else if (method == "DELETE") {
        info.verb = collection ? "deletecollection" : "delete";
    } else {
        return core::Error(core::ErrorCode::MethodNotAllowed,
                           "the server does not allow this method on the requested resource");
    }
    return info;
}

}  // namespace slipway::apiserver
