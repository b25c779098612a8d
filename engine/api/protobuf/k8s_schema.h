// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>

#include "engine/core/result.h"

namespace slipway::api::detail {

/// The Kubernetes protobuf schema compiled from this folder's .proto files, as a descriptor
/// pool with the JSON-mapping options of k8s_options.proto read once per field. Immutable after
/// loading, so one instance serves every thread (DynamicMessageFactory::GetPrototype locks).
class K8sSchema {
public:
    /// The schema embedded in the binary, loaded on first use; an Internal error if it does
    /// not load, which is a build defect.
    static core::Result<const K8sSchema*> instance();

    /// The envelope, k8s.io.apimachinery.pkg.runtime.Unknown.
    const google::protobuf::Descriptor* envelope() const { return m_envelope; }

    /// True when `apiVersion` ("v1", "apps/v1") is a group version the schema has messages for.
    bool knowsGroupVersion(std::string_view apiVersion) const;

    /// The message of a kind that can be a request body in `apiVersion`: an object with
    /// ObjectMeta metadata, or DeleteOptions; nullptr otherwise.
    const google::protobuf::Descriptor* findKind(std::string_view apiVersion,
                                                 std::string_view kind) const;

    /// Every .proto file of the schema, each after the files it imports.
    const std::vector<const google::protobuf::FileDescriptor*>& files() const { return m_files; }

    /// The apiVersion ("apps/v1") whose kinds are the messages of proto `package`
    /// ("k8s.io.api.apps.v1"); empty for packages without kinds (meta, runtime, intstr).
    static std::string_view groupVersionOfPackage(std::string_view package);

    /// An empty message of `type`, to parse into.
    std::unique_ptr<google::protobuf::Message> newMessage(
        const google::protobuf::Descriptor* type) const;

    /// (slipway.k8s.omitempty): drop the field's zero value.
    bool omitsEmpty(const google::protobuf::FieldDescriptor* field) const {
        return m_omitEmpty.count(field) != 0;
    }
    /// (slipway.k8s.inline): the field's message is merged into its parent's JSON object.
    bool isInline(const google::protobuf::FieldDescriptor* field) const {
        return m_inline.count(field) != 0;
    }
    /// (slipway.k8s.json_array): the message is a Go slice, its JSON the array of its items.
    bool isJsonArray(const google::protobuf::Descriptor* type) const {
        return m_jsonArrays.count(type) != 0;
    }

    K8sSchema(const K8sSchema&) = delete;
    K8sSchema& operator=(const K8sSchema&) = delete;

private:
    K8sSchema() = default;
    core::Result<void> load();
    void readOptions(const google::protobuf::Descriptor* type);

    google::protobuf::DescriptorPool m_pool;
    mutable google::protobuf::DynamicMessageFactory m_factory{&m_pool};
    const google::protobuf::Descriptor* m_envelope = nullptr;
    std::vector<const google::protobuf::FileDescriptor*> m_files;
    std::unordered_set<const google::protobuf::FieldDescriptor*> m_omitEmpty;
    std::unordered_set<const google::protobuf::FieldDescriptor*> m_inline;
    std::unordered_set<const google::protobuf::Descriptor*> m_jsonArrays;
};

}  // namespace slipway::api::detail
