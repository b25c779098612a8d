// SPDX-License-Identifier: Apache-2.0
#include "engine/api/protobuf/k8s_schema.h"

#include <array>
#include <string>
#include <utility>

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/unknown_field_set.h>

namespace slipway::api::detail {

// Written by embed_descriptor_set.cmake from the FileDescriptorSet protoc compiles at build time.
extern const unsigned char kK8sSchemaDescriptorSet[];
extern const std::size_t kK8sSchemaDescriptorSetSize;

namespace {

namespace pb = google::protobuf;

// Field numbers of the extensions in k8s_options.proto.
constexpr int kOmitEmptyOption = 50101;
constexpr int kInlineOption = 50102;
constexpr int kJsonArrayOption = 50103;

constexpr std::string_view kObjectMeta = "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta";
constexpr std::string_view kDeleteOptions = "k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions";
constexpr std::string_view kEnvelope = "k8s.io.apimachinery.pkg.runtime.Unknown";

// Group versions with a schema, as apiVersion strings, and the proto package of their messages.
constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kPackages = {{
    {"v1", "k8s.io.api.core.v1"},
    {"apps/v1", "k8s.io.api.apps.v1"},
    {"batch/v1", "k8s.io.api.batch.v1"},
    {"autoscaling/v1", "k8s.io.api.autoscaling.v1"},
    {"autoscaling/v2", "k8s.io.api.autoscaling.v2"},
    {"networking.k8s.io/v1", "k8s.io.api.networking.v1"},
    {"discovery.k8s.io/v1", "k8s.io.api.discovery.v1"},
    {"coordination.k8s.io/v1", "k8s.io.api.coordination.v1"},
    {"events.k8s.io/v1", "k8s.io.api.events.v1"},
    {"rbac.authorization.k8s.io/v1", "k8s.io.api.rbac.v1"},
    {"storage.k8s.io/v1", "k8s.io.api.storage.v1"},
    {"policy/v1", "k8s.io.api.policy.v1"},
    {"scheduling.k8s.io/v1", "k8s.io.api.scheduling.v1"},
    {"authentication.k8s.io/v1", "k8s.io.api.authentication.v1"},
    {"authorization.k8s.io/v1", "k8s.io.api.authorization.v1"},
    {"certificates.k8s.io/v1", "k8s.io.api.certificates.v1"},
}};

// DeleteOptions is registered in every group version and in meta.k8s.io/v1 itself.
constexpr std::string_view kMetaGroupVersion = "meta.k8s.io/v1";

const std::string_view* packageOf(std::string_view apiVersion) {
    for (const auto& [groupVersion, package] : kPackages) {
        if (groupVersion == apiVersion) {
            return &package;
        }
    }
    return nullptr;
}

// protoc wrote our custom options as extensions of FieldOptions/MessageOptions. This pool is
// not the generated one, so libprotobuf parsed them as unknown fields of the options message:
// read them there, which needs no generated C++ for k8s_options.proto.
bool hasFlag(const pb::Message& options, int number) {
    const pb::UnknownFieldSet& unknown = options.GetReflection()->GetUnknownFields(options);
    for (int i = 0; i < unknown.field_count(); ++i) {
        const pb::UnknownField& field = unknown.field(i);
        if (field.number() == number && field.type() == pb::UnknownField::TYPE_VARINT &&
            field.varint() != 0) {
            return true;
        }
    }
    return false;
}

pb::LogHandler* previousLogHandler = nullptr;

// A proto2 string may hold any bytes, as a Go string does, and kube-apiserver takes them; the
// converter writes invalid UTF-8 as U+FFFD, as encoding/json does. libprotobuf accepts such a
// string too, but writes a complaint to stderr for each one, which a client could use to flood
// the log: drop exactly those complaints and pass every other message on.
void dropUtf8Complaints(pb::LogLevel level, const char* filename, int line,
                        const std::string& message) {
    if (message.find("invalid UTF-8 data") != std::string::npos) {
        return;
    }
    if (previousLogHandler != nullptr) {
        previousLogHandler(level, filename, line, message);
    }
}

class CollectErrors : public pb::DescriptorPool::ErrorCollector {
public:
    void AddError(const std::string& filename, const std::string& elementName, const pb::Message*,
                  ErrorLocation, const std::string& message) override {
        if (m_errors.empty()) {
            m_errors = filename + ": " + elementName + ": " + message;
        }
    }
    const std::string& errors() const { return m_errors; }

private:
    std::string m_errors;
};

}  // namespace

core::Result<const K8sSchema*> K8sSchema::instance() {
    static const auto loaded = []() -> std::pair<std::unique_ptr<K8sSchema>, core::Result<void>> {
        std::unique_ptr<K8sSchema> schema(new K8sSchema());
        core::Result<void> result = schema->load();
        return {std::move(schema), std::move(result)};
    }();
    if (!loaded.second.ok()) {
        return loaded.second.error();
    }
    return static_cast<const K8sSchema*>(loaded.first.get());
}

core::Result<void> K8sSchema::load() {
    // Here, once, before any protobuf parsing: SetLogHandler is not thread-safe.
    previousLogHandler = pb::SetLogHandler(&dropUtf8Complaints);
    pb::FileDescriptorSet files;
    if (!files.ParseFromArray(kK8sSchemaDescriptorSet,
                              static_cast<int>(kK8sSchemaDescriptorSetSize))) {
        return core::Error(core::ErrorCode::Internal,
                           "the embedded Kubernetes protobuf schema does not parse");
    }
    // protoc --include_imports lists every file after the files it imports.
    for (const pb::FileDescriptorProto& file : files.file()) {
        CollectErrors errors;
        const pb::FileDescriptor* built = m_pool.BuildFileCollectingErrors(file, &errors);
        if (built == nullptr) {
            return core::Error(
                core::ErrorCode::Internal,
                "the embedded Kubernetes protobuf schema does not load: " + errors.errors());
        }
        m_files.push_back(built);
        for (int i = 0; i < built->message_type_count(); ++i) {
            readOptions(built->message_type(i));
        }
    }
    m_envelope = m_pool.FindMessageTypeByName(std::string(kEnvelope));
    if (m_envelope == nullptr) {
        return core::Error(
            core::ErrorCode::Internal,
            "the embedded Kubernetes protobuf schema has no " + std::string(kEnvelope));
    }
    // Were the options lost on the way (a protobuf that kept no unknown fields in options),
    // every body would still decode, to subtly wrong JSON: check one field of each option.
    const pb::Descriptor* objectMeta = m_pool.FindMessageTypeByName(std::string(kObjectMeta));
    const pb::Descriptor* volume = m_pool.FindMessageTypeByName("k8s.io.api.core.v1.Volume");
    const pb::Descriptor* verbs =
        m_pool.FindMessageTypeByName("k8s.io.apimachinery.pkg.apis.meta.v1.Verbs");
    if (objectMeta == nullptr || volume == nullptr || verbs == nullptr ||
        !omitsEmpty(objectMeta->FindFieldByName("generateName")) ||
        !isInline(volume->FindFieldByName("volumeSource")) || !isJsonArray(verbs)) {
        return core::Error(core::ErrorCode::Internal,
                           "the embedded Kubernetes protobuf schema lost its JSON-mapping options");
    }
    return core::success();
}

void K8sSchema::readOptions(const pb::Descriptor* type) {
    if (hasFlag(type->options(), kJsonArrayOption)) {
        m_jsonArrays.insert(type);
    }
    for (int i = 0; i < type->field_count(); ++i) {
        const pb::FieldDescriptor* field = type->field(i);
        if (hasFlag(field->options(), kOmitEmptyOption)) {
            m_omitEmpty.insert(field);
        }
        if (hasFlag(field->options(), kInlineOption)) {
            m_inline.insert(field);
        }
    }
    for (int i = 0; i < type->nested_type_count(); ++i) {
        readOptions(type->nested_type(i));
    }
}

std::string_view K8sSchema::groupVersionOfPackage(std::string_view package) {
    for (const auto& [groupVersion, kindPackage] : kPackages) {
        if (kindPackage == package) {
            return groupVersion;
        }
    }
    return {};
}

bool K8sSchema::knowsGroupVersion(std::string_view apiVersion) const {
    return packageOf(apiVersion) != nullptr || apiVersion == kMetaGroupVersion;
}

const pb::Descriptor* K8sSchema::findKind(std::string_view apiVersion,
                                          std::string_view kind) const {
    if (!knowsGroupVersion(apiVersion)) {
        return nullptr;
    }
    if (kind == "DeleteOptions") {
        return m_pool.FindMessageTypeByName(std::string(kDeleteOptions));
    }
    const std::string_view* package = packageOf(apiVersion);
    if (package == nullptr || kind.empty()) {
        return nullptr;
    }
    const pb::Descriptor* type =
        m_pool.FindMessageTypeByName(std::string(*package) + "." + std::string(kind));
    // Only objects are request bodies; PodSpec or DeploymentList is not a kind one can send.
    const pb::FieldDescriptor* metadata = type != nullptr ? type->FindFieldByNumber(1) : nullptr;
    if (metadata == nullptr || metadata->name() != "metadata" ||
        metadata->type() != pb::FieldDescriptor::TYPE_MESSAGE ||
        metadata->message_type()->full_name() != kObjectMeta) {
        return nullptr;
    }
    return type;
}

std::unique_ptr<pb::Message> K8sSchema::newMessage(const pb::Descriptor* type) const {
    return std::unique_ptr<pb::Message>(m_factory.GetPrototype(type)->New());
}

}  // namespace slipway::api::detail
