// SPDX-License-Identifier: Apache-2.0
#include "engine/api/protobuf/message_json.h"

#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/unknown_field_set.h>

#include "engine/api/protobuf/go_format.h"

namespace slipway::api::detail {

namespace {

namespace pb = google::protobuf;
using nlohmann::json;

constexpr std::string_view kTime = "k8s.io.apimachinery.pkg.apis.meta.v1.Time";
constexpr std::string_view kMicroTime = "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime";
constexpr std::string_view kDuration = "k8s.io.apimachinery.pkg.apis.meta.v1.Duration";
constexpr std::string_view kFieldsV1 = "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1";
constexpr std::string_view kGroupVersion = "k8s.io.apimachinery.pkg.apis.meta.v1.GroupVersion";
constexpr std::string_view kIntOrString = "k8s.io.apimachinery.pkg.util.intstr.IntOrString";
constexpr std::string_view kQuantity = "k8s.io.apimachinery.pkg.api.resource.Quantity";
constexpr std::string_view kQuantityValue = "k8s.io.apimachinery.pkg.api.resource.QuantityValue";
constexpr std::string_view kRawExtension = "k8s.io.apimachinery.pkg.runtime.RawExtension";

constexpr std::int64_t kNanosPerSecond = 1000000000;

std::string_view wireTypeName(pb::UnknownField::Type type) {
    switch (type) {
        case pb::UnknownField::TYPE_VARINT:
            return "varint";
        case pb::UnknownField::TYPE_FIXED32:
            return "fixed32";
        case pb::UnknownField::TYPE_FIXED64:
            return "fixed64";
        case pb::UnknownField::TYPE_LENGTH_DELIMITED:
            return "length-delimited";
        case pb::UnknownField::TYPE_GROUP:
            return "group";
    }
    return "unknown";
}

std::string describePath(const std::string& path) {
    return path.empty() ? "the object" : path;
}

std::string childPath(const std::string& path, std::string_view name) {
    return path.empty() ? std::string(name) : path + "." + std::string(name);
}

std::string indexPath(const std::string& path, int index) {
    return path + "[" + std::to_string(index) + "]";
}

std::string keyPath(const std::string& path, const std::string& key) {
    return path + "[" + json(toValidUtf8(key)).dump() + "]";
}

core::Error badRequest(std::string message) {
    return core::Error(core::ErrorCode::BadRequest, std::move(message));
}

// Walks a parsed message by reflection and writes what encoding/json would have written for
// the Go object gogo-protobuf encoded it from.
class Converter {
public:
    explicit Converter(const K8sSchema& schema) : m_schema(schema) {}

    core::Result<json> convert(const pb::Message& message, const std::string& path) {
        const pb::Reflection& reflection = *message.GetReflection();
        const pb::UnknownFieldSet& unknown = reflection.GetUnknownFields(message);
        if (!unknown.empty()) {
            return unknownField(message, unknown.field(0), path);
        }
        const pb::Descriptor& type = *message.GetDescriptor();
        const std::string& name = type.full_name();
        if (name == kTime) {
            return timeValue(message, reflection, 0);
        }
        if (name == kMicroTime) {
            return timeValue(message, reflection, 6);
        }
        if (name == kDuration) {
            return json(formatGoDuration(int64Field(message, reflection, "duration")));
        }
        if (name == kIntOrString) {
            return intOrString(message, reflection, path);
        }
        if (name == kQuantity || name == kQuantityValue) {
            return quantity(message, reflection, path);
        }
        if (name == kRawExtension) {
            return embeddedJson(message, reflection, "raw", path);
        }
        if (name == kFieldsV1) {
            return embeddedJson(message, reflection, "Raw", path);
        }
        if (name == kGroupVersion) {
            const std::string group = stringField(message, reflection, "group");
            const std::string version = stringField(message, reflection, "version");
            return json(toValidUtf8(group.empty() ? version : group + "/" + version));
        }
        if (m_schema.isJsonArray(&type)) {
            return jsonArray(message, reflection, path);
        }
        json object = json::object();
        if (auto filled = fields(message, reflection, path, object); !filled.ok()) {
            return filled.error();
        }
        return object;
    }

private:
    core::Result<void> fields(const pb::Message& message, const pb::Reflection& reflection,
                              const std::string& path, json& object) {
        std::vector<const pb::FieldDescriptor*> present;
        // ListFields: exactly the fields on the wire (proto2 has presence for every field), so
        // what the Go encoder left out stays out.
        reflection.ListFields(message, &present);
        for (const pb::FieldDescriptor* field : present) {
            if (field->is_map()) {
                auto value =
                    mapValue(message, reflection, field, childPath(path, field->json_name()));
                if (!value.ok()) {
                    return value.error();
                }
                object[field->json_name()] = std::move(*value);
            } else if (field->is_repeated()) {
                auto value =
                    listValue(message, reflection, field, childPath(path, field->json_name()));
                if (!value.ok()) {
                    return value.error();
                }
                object[field->json_name()] = std::move(*value);
            } else if (m_schema.isInline(field)) {
                // An embedded Go struct: its JSON fields sit in this object. Go lets the outer
                // struct's own fields win a name clash, hence emplace here and assignment
                // elsewhere, whichever comes first.
                auto value = convert(reflection.GetMessage(message, field), path);
                if (!value.ok()) {
                    return value.error();
                }
                if (!value->is_object()) {
                    return core::Error(core::ErrorCode::Internal,
                                       "inline field " + field->full_name() + " is not a struct");
                }
                for (auto& [key, inner] : value->items()) {
                    object.emplace(key, std::move(inner));
                }
            } else {
                if (m_schema.omitsEmpty(field) && isZeroScalar(message, reflection, field)) {
                    continue;
                }
                auto value =
                    singular(message, reflection, field, childPath(path, field->json_name()));
                if (!value.ok()) {
                    return value.error();
                }
                object[field->json_name()] = std::move(*value);
            }
        }
        return core::success();
    }

    core::Result<json> singular(const pb::Message& message, const pb::Reflection& reflection,
                                const pb::FieldDescriptor* field, const std::string& path) {
        switch (field->cpp_type()) {
            case pb::FieldDescriptor::CPPTYPE_MESSAGE:
                return convert(reflection.GetMessage(message, field), path);
            case pb::FieldDescriptor::CPPTYPE_STRING:
                return stringValue(field, reflection.GetString(message, field));
            case pb::FieldDescriptor::CPPTYPE_INT32:
                return json(reflection.GetInt32(message, field));
            case pb::FieldDescriptor::CPPTYPE_INT64:
                return json(reflection.GetInt64(message, field));
            case pb::FieldDescriptor::CPPTYPE_UINT32:
                return json(reflection.GetUInt32(message, field));
            case pb::FieldDescriptor::CPPTYPE_UINT64:
                return json(reflection.GetUInt64(message, field));
            case pb::FieldDescriptor::CPPTYPE_BOOL:
                return json(reflection.GetBool(message, field));
            case pb::FieldDescriptor::CPPTYPE_DOUBLE:
                return json(reflection.GetDouble(message, field));
            case pb::FieldDescriptor::CPPTYPE_FLOAT:
                return json(static_cast<double>(reflection.GetFloat(message, field)));
            case pb::FieldDescriptor::CPPTYPE_ENUM:
                break;
        }
        return unsupportedType(field);
    }

    core::Result<json> listValue(const pb::Message& message, const pb::Reflection& reflection,
                                 const pb::FieldDescriptor* field, const std::string& path) {
        json array = json::array();
        const int size = reflection.FieldSize(message, field);
        for (int i = 0; i < size; ++i) {
            core::Result<json> element = json();
            switch (field->cpp_type()) {
                case pb::FieldDescriptor::CPPTYPE_MESSAGE:
                    element = convert(reflection.GetRepeatedMessage(message, field, i),
                                      indexPath(path, i));
                    break;
                case pb::FieldDescriptor::CPPTYPE_STRING:
                    element = stringValue(field, reflection.GetRepeatedString(message, field, i));
                    break;
                case pb::FieldDescriptor::CPPTYPE_INT32:
                    element = json(reflection.GetRepeatedInt32(message, field, i));
                    break;
                case pb::FieldDescriptor::CPPTYPE_INT64:
                    element = json(reflection.GetRepeatedInt64(message, field, i));
                    break;
                case pb::FieldDescriptor::CPPTYPE_UINT32:
                    element = json(reflection.GetRepeatedUInt32(message, field, i));
                    break;
                case pb::FieldDescriptor::CPPTYPE_UINT64:
                    element = json(reflection.GetRepeatedUInt64(message, field, i));
                    break;
                case pb::FieldDescriptor::CPPTYPE_BOOL:
                    element = json(reflection.GetRepeatedBool(message, field, i));
                    break;
                case pb::FieldDescriptor::CPPTYPE_DOUBLE:
                    element = json(reflection.GetRepeatedDouble(message, field, i));
                    break;
                case pb::FieldDescriptor::CPPTYPE_FLOAT:
                    element =
                        json(static_cast<double>(reflection.GetRepeatedFloat(message, field, i)));
                    break;
                case pb::FieldDescriptor::CPPTYPE_ENUM:
                    return unsupportedType(field);
            }
            if (!element.ok()) {
                return element.error();
            }
            array.push_back(std::move(*element));
        }
        return array;
    }

    // A Go map is a repeated entry message {key = 1; value = 2} on the wire.
    core::Result<json> mapValue(const pb::Message& message, const pb::Reflection& reflection,
                                const pb::FieldDescriptor* field, const std::string& path) {
        json object = json::object();
        const pb::FieldDescriptor* keyField = field->message_type()->map_key();
        const pb::FieldDescriptor* valueField = field->message_type()->map_value();
        if (keyField->cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING) {
            return unsupportedType(field);
        }
        const int size = reflection.FieldSize(message, field);
        for (int i = 0; i < size; ++i) {
            const pb::Message& entry = reflection.GetRepeatedMessage(message, field, i);
            const pb::Reflection& entryReflection = *entry.GetReflection();
            const pb::UnknownFieldSet& unknown = entryReflection.GetUnknownFields(entry);
            if (!unknown.empty()) {
                return unknownField(entry, unknown.field(0), indexPath(path, i));
            }
            const std::string key = toValidUtf8(entryReflection.GetString(entry, keyField));
            auto value = singular(entry, entryReflection, valueField, keyPath(path, key));
            if (!value.ok()) {
                return value.error();
            }
            // Later entries win, as Go's map assignment does while unmarshalling.
            object[key] = std::move(*value);
        }
        return object;
    }

    core::Result<json> jsonArray(const pb::Message& message, const pb::Reflection& reflection,
                                 const std::string& path) {
        const pb::FieldDescriptor* items = message.GetDescriptor()->FindFieldByName("items");
        if (items == nullptr || !items->is_repeated()) {
            return core::Error(core::ErrorCode::Internal,
                               message.GetDescriptor()->full_name() + " has no repeated items");
        }
        if (reflection.FieldSize(message, items) == 0) {
            // A nil Go slice.
            return json();
        }
        return listValue(message, reflection, items, path);
    }

    // metav1.Time and MicroTime. Time keeps whole seconds only: kube-apiserver drops nanos
    // when it unmarshals one, and its JSON has none.
    core::Result<json> timeValue(const pb::Message& message, const pb::Reflection& reflection,
                                 int fractionDigits) {
        const pb::Descriptor& type = *message.GetDescriptor();
        const pb::FieldDescriptor* secondsField = type.FindFieldByName("seconds");
        const pb::FieldDescriptor* nanosField = type.FindFieldByName("nanos");
        if (secondsField == nullptr || nanosField == nullptr) {
            return core::Error(core::ErrorCode::Internal, type.full_name() + " lacks seconds");
        }
        // The Go encoder writes nothing for the zero time, which JSON writes as null.
        if (!reflection.HasField(message, secondsField) &&
            !reflection.HasField(message, nanosField)) {
            return json();
        }
        std::int64_t seconds = reflection.GetInt64(message, secondsField);
        std::int64_t nanos = fractionDigits > 0 ? reflection.GetInt32(message, nanosField) : 0;
        // time.Unix normalises nanos outside [0, 1e9) into the seconds.
        if (nanos < 0 || nanos >= kNanosPerSecond) {
            std::int64_t carry = nanos / kNanosPerSecond;
            nanos -= carry * kNanosPerSecond;
            if (nanos < 0) {
                nanos += kNanosPerSecond;
                --carry;
            }
            seconds += carry;
        }
        if (seconds == kGoZeroTimeUnixSeconds && nanos == 0) {
            return json();
        }
        return json(formatRfc3339(seconds, static_cast<std::int32_t>(nanos), fractionDigits));
    }

    core::Result<json> intOrString(const pb::Message& message, const pb::Reflection& reflection,
                                   const std::string& path) {
        const std::int64_t type = int64Field(message, reflection, "type");
        if (type == 0) {
            const pb::FieldDescriptor* intVal = message.GetDescriptor()->FindFieldByName("intVal");
            return json(reflection.GetInt32(message, intVal));
        }
        if (type == 1) {
            return json(toValidUtf8(stringField(message, reflection, "strVal")));
        }
        return badRequest("impossible IntOrString.Type " + std::to_string(type) + " in " +
                          describePath(path));
    }

    core::Result<json> quantity(const pb::Message& message, const pb::Reflection& reflection,
                                const std::string& path) {
        const pb::FieldDescriptor* field = message.GetDescriptor()->FindFieldByName("string");
        // Absent: Go's zero Quantity, which encoding/json writes as "0".
        if (!reflection.HasField(message, field)) {
            return json("0");
        }
        const std::string text = reflection.GetString(message, field);
        if (text.empty()) {
            return badRequest(
                "quantities must match the regular expression "
                "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' in " +
                describePath(path));
        }
        return json(toValidUtf8(text));
    }

    // RawExtension and FieldsV1 carry JSON bytes that encoding/json writes as they are.
    core::Result<json> embeddedJson(const pb::Message& message, const pb::Reflection& reflection,
                                    std::string_view fieldName, const std::string& path) {
        const pb::FieldDescriptor* field =
            message.GetDescriptor()->FindFieldByName(std::string(fieldName));
        if (!reflection.HasField(message, field)) {
            return json();
        }
        const std::string raw = reflection.GetString(message, field);
        json value = json::parse(raw, nullptr, false);
        if (value.is_discarded()) {
            return badRequest("embedded object in " + describePath(path) +
                              " is not JSON; only JSON is accepted inside a protobuf body");
        }
        return value;
    }

    static json stringValue(const pb::FieldDescriptor* field, const std::string& value) {
        // A Go []byte is base64 in JSON; a Go string may hold any bytes, and encoding/json
        // writes the invalid ones as U+FFFD.
        if (field->type() == pb::FieldDescriptor::TYPE_BYTES) {
            return json(base64Encode(value));
        }
        return json(toValidUtf8(value));
    }

    static bool isZeroScalar(const pb::Message& message, const pb::Reflection& reflection,
                             const pb::FieldDescriptor* field) {
        switch (field->cpp_type()) {
            case pb::FieldDescriptor::CPPTYPE_STRING:
                return reflection.GetString(message, field).empty();
            case pb::FieldDescriptor::CPPTYPE_INT32:
                return reflection.GetInt32(message, field) == 0;
            case pb::FieldDescriptor::CPPTYPE_INT64:
                return reflection.GetInt64(message, field) == 0;
            case pb::FieldDescriptor::CPPTYPE_UINT32:
                return reflection.GetUInt32(message, field) == 0;
            case pb::FieldDescriptor::CPPTYPE_UINT64:
                return reflection.GetUInt64(message, field) == 0;
            case pb::FieldDescriptor::CPPTYPE_BOOL:
                return !reflection.GetBool(message, field);
            case pb::FieldDescriptor::CPPTYPE_DOUBLE:
                return reflection.GetDouble(message, field) == 0.0;
            case pb::FieldDescriptor::CPPTYPE_FLOAT:
                return reflection.GetFloat(message, field) == 0.0F;
            case pb::FieldDescriptor::CPPTYPE_ENUM:
            case pb::FieldDescriptor::CPPTYPE_MESSAGE:
                // encoding/json never omits a struct; the schema has no enums.
                return false;
        }
        return false;
    }

    static std::int64_t int64Field(const pb::Message& message, const pb::Reflection& reflection,
                                   const char* name) {
        return reflection.GetInt64(message, message.GetDescriptor()->FindFieldByName(name));
    }

    static std::string stringField(const pb::Message& message, const pb::Reflection& reflection,
                                   const char* name) {
        return reflection.GetString(message, message.GetDescriptor()->FindFieldByName(name));
    }

    static core::Error unknownField(const pb::Message& message, const pb::UnknownField& field,
                                    const std::string& path) {
        const pb::Descriptor& type = *message.GetDescriptor();
        const pb::FieldDescriptor* known = type.FindFieldByNumber(field.number());
        const std::string where = describePath(path) + " (" + type.full_name() + ")";
        if (known != nullptr) {
            // libprotobuf files a known field number with the wrong wire type as unknown.
            return badRequest("strict decoding error: field " + known->name() + " (number " +
                              std::to_string(field.number()) + ") in " + where + " has wire type " +
                              std::string(wireTypeName(field.type())) + ", not its declared type");
        }
        return badRequest("strict decoding error: unknown field number " +
                          std::to_string(field.number()) + " (wire type " +
                          std::string(wireTypeName(field.type())) + ") in " + where);
    }

    static core::Error unsupportedType(const pb::FieldDescriptor* field) {
        return core::Error(core::ErrorCode::Internal,
                           "the protobuf schema field " + field->full_name() +
                               " has a type the JSON converter does not handle");
    }

    const K8sSchema& m_schema;
};

}  // namespace

core::Result<json> messageToJson(const pb::Message& message, const K8sSchema& schema) {
    return Converter(schema).convert(message, std::string());
}

}  // namespace slipway::api::detail
