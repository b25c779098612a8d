// SPDX-License-Identifier: Apache-2.0
#include "engine/client/resource_ref.h"

namespace slipway::client {

namespace {

bool unreserved(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

/// Path segments keep ':' and '@' (RFC 3986 pchar): names such as "system:masters" stay
/// readable in logs, and kube-apiserver decodes them either way.
std::string encodeSegment(std::string_view segment) {
    std::string out;
    out.reserve(segment.size());
    for (const char c : segment) {
        if (unreserved(c) || c == ':' || c == '@') {
            out += c;
        } else {
            out += percentEncode(std::string_view(&c, 1));
        }
    }
    return out;
}

}  // namespace

ResourceRef ResourceRef::in(std::string ns) const {
    ResourceRef copy = *this;
    copy.nameSpace = std::move(ns);
    return copy;
}

ResourceRef ResourceRef::named(std::string objectName) const {
    ResourceRef copy = *this;
    copy.name = std::move(objectName);
    return copy;
}

ResourceRef ResourceRef::sub(std::string subresourceName) const {
    ResourceRef copy = *this;
    copy.subresource = std::move(subresourceName);
    return copy;
}

std::string ResourceRef::apiVersion() const {
    return group.empty() ? version : group + "/" + version;
}

std::string ResourceRef::path() const {
    std::string out = group.empty()
                          ? "/api/" + encodeSegment(version)
                          : "/apis/" + encodeSegment(group) + "/" + encodeSegment(version);
    if (!nameSpace.empty()) {
        out += "/namespaces/" + encodeSegment(nameSpace);
    }
    out += "/" + encodeSegment(resource);
    if (!name.empty()) {
        out += "/" + encodeSegment(name);
        if (!subresource.empty()) {
            out += "/" + encodeSegment(subresource);
        }
    }
    return out;
}

std::string ResourceRef::describe() const {
    std::string out = group.empty() ? resource : resource + "." + group;
    if (!name.empty()) {
        out += " \"" + name + "\"";
    }
    if (!nameSpace.empty()) {
        out += " in namespace \"" + nameSpace + "\"";
    }
    return out;
}

std::string percentEncode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (unreserved(c)) {
            out += c;
            continue;
        }
        const auto byte = static_cast<unsigned char>(c);
        out += '%';
        out += kHex[byte >> 4U];
        out += kHex[byte & 0x0FU];
    }
    return out;
}

QueryBuilder& QueryBuilder::add(std::string_view name, std::string_view value) {
    if (value.empty()) {
        return *this;
    }
    m_query += m_query.empty() ? '?' : '&';
    m_query += percentEncode(name);
    m_query += '=';
    m_query += percentEncode(value);
    return *this;
}

QueryBuilder& QueryBuilder::add(std::string_view name, long long value) {
    return add(name, std::to_string(value));
}

std::string QueryBuilder::str() const {
    return m_query;
}

}  // namespace slipway::client
