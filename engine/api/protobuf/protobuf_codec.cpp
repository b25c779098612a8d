// SPDX-License-Identifier: Apache-2.0
#include "engine/api/protobuf/protobuf_codec.h"

#include <cctype>
#include <limits>
#include <string>

#include <google/protobuf/message.h>
#include <google/protobuf/unknown_field_set.h>

#include "engine/api/protobuf/go_format.h"
#include "engine/api/protobuf/k8s_schema.h"
#include "engine/api/protobuf/message_json.h"

namespace slipway::api {

namespace {

namespace pb = google::protobuf;
using nlohmann::json;

// k8s.io/apimachinery/pkg/runtime/serializer/protobuf: every body starts with these bytes.
constexpr std::string_view kMagic{"k8s\0", 4};

core::Error badRequest(std::string message) {
    return core::Error(core::ErrorCode::BadRequest, std::move(message));
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

bool parse(pb::Message& message, std::string_view bytes) {
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        return false;
    }
    return message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

std::string jsonQuoted(const std::string& text) {
    return json(detail::toValidUtf8(text)).dump();
}

// The envelope's fields, its unknown fields refused as anywhere else in the body.
struct Envelope {
    std::string apiVersion;
    std::string kind;
    std::string raw;
    std::string contentEncoding;
    std::string contentType;
};

core::Result<Envelope> readEnvelope(const detail::K8sSchema& schema, std::string_view bytes) {
    const std::unique_ptr<pb::Message> unknown = schema.newMessage(schema.envelope());
    if (!parse(*unknown, bytes)) {
        return badRequest(
            "unable to decode the protobuf envelope (runtime.Unknown): the message is malformed "
            "or truncated");
    }
    const pb::Reflection& reflection = *unknown->GetReflection();
    const pb::Descriptor& type = *unknown->GetDescriptor();
    const pb::Message& typeMeta = reflection.GetMessage(*unknown, type.FindFieldByName("typeMeta"));
    for (const pb::Message* message : {static_cast<const pb::Message*>(unknown.get()), &typeMeta}) {
        const pb::UnknownFieldSet& fields = message->GetReflection()->GetUnknownFields(*message);
        if (!fields.empty()) {
            return badRequest("strict decoding error: unknown field number " +
                              std::to_string(fields.field(0).number()) +
                              " in the protobuf envelope (" +
                              message->GetDescriptor()->full_name() + ")");
        }
    }
    const pb::Reflection& metaReflection = *typeMeta.GetReflection();
    const pb::Descriptor& metaType = *typeMeta.GetDescriptor();
    Envelope envelope;
    envelope.apiVersion =
        metaReflection.GetString(typeMeta, metaType.FindFieldByName("apiVersion"));
    envelope.kind = metaReflection.GetString(typeMeta, metaType.FindFieldByName("kind"));
    envelope.raw = reflection.GetString(*unknown, type.FindFieldByName("raw"));
    envelope.contentEncoding =
        reflection.GetString(*unknown, type.FindFieldByName("contentEncoding"));
    envelope.contentType = reflection.GetString(*unknown, type.FindFieldByName("contentType"));
    return envelope;
}

}  // namespace

bool isProtobufContentType(std::string_view contentType) {
    const std::size_t parameters = contentType.find(';');
    return equalsIgnoringCase(trim(contentType.substr(0, parameters)), kProtobufContentType);
}

core::Result<json> decodeProtobufObject(std::string_view body) {
    // Words from k8s.io/apimachinery/pkg/runtime/serializer/protobuf's Decode.
    if (body.empty()) {
        return badRequest("empty data");
    }
    if (body.size() < kMagic.size() || body.substr(0, kMagic.size()) != kMagic) {
        return badRequest(
            "provided data does not appear to be a protobuf message, expected prefix "
            "[107 56 115 0]");
    }
    if (body.size() == kMagic.size()) {
        return badRequest("empty body");
    }
    const auto schema = detail::K8sSchema::instance();
    if (!schema.ok()) {
        return schema.error();
    }
    auto envelope = readEnvelope(**schema, body.substr(kMagic.size()));
    if (!envelope.ok()) {
        return envelope.error();
    }
    if (envelope->kind.empty()) {
        return badRequest("Object 'Kind' is missing in the protobuf envelope");
    }
    if (envelope->apiVersion.empty()) {
        return badRequest("Object 'apiVersion' is missing in the protobuf envelope");
    }
    // client-go never compresses or nests another encoding; kube-apiserver could not read it.
    if (!envelope->contentEncoding.empty()) {
        return core::Error(core::ErrorCode::UnsupportedMediaType,
                           "protobuf content encoding " + jsonQuoted(envelope->contentEncoding) +
                               " is not supported");
    }
    if (!envelope->contentType.empty() && !isProtobufContentType(envelope->contentType)) {
        return core::Error(
            core::ErrorCode::UnsupportedMediaType,
            "protobuf envelope holding " + jsonQuoted(envelope->contentType) + " is not supported");
    }
    if (!(*schema)->knowsGroupVersion(envelope->apiVersion)) {
        // What kube-apiserver answers for protobuf to a custom resource.
        return core::Error(core::ErrorCode::UnsupportedMediaType,
                           "the body of the request was in an unknown format - accepted media "
                           "types include: application/json, application/yaml (" +
                               envelope->apiVersion + " has no protobuf schema)");
    }
    const pb::Descriptor* type = (*schema)->findKind(envelope->apiVersion, envelope->kind);
    if (type == nullptr) {
        return badRequest("no kind " + jsonQuoted(envelope->kind) + " is registered for version " +
                          jsonQuoted(envelope->apiVersion) + " in the protobuf schema");
    }
    const std::unique_ptr<pb::Message> object = (*schema)->newMessage(type);
    if (!parse(*object, envelope->raw)) {
        return badRequest("unable to decode the protobuf body of " + envelope->apiVersion + " " +
                          envelope->kind + ": the message is malformed or truncated");
    }
    auto converted = detail::messageToJson(*object, **schema);
    if (!converted.ok()) {
        return converted.error();
    }
    json result = std::move(*converted);
    result["apiVersion"] = envelope->apiVersion;
    result["kind"] = envelope->kind;
    return result;
}

}  // namespace slipway::api
