// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace slipway::vm {

/// Writes an XML document through libxml2's xmlTextWriter, which escapes text and attribute
/// values (a quote or '<' in a cluster name cannot break the document, as it does in string
/// templates). Elements are indented by two spaces. Failures are remembered and reported by
/// finish().
class XmlWriter {
public:
    XmlWriter();
    ~XmlWriter();
    XmlWriter(const XmlWriter&) = delete;
    XmlWriter& operator=(const XmlWriter&) = delete;

    /// Opens `<name>`; `name` may carry a declared prefix ("qemu:arg").
    XmlWriter& start(std::string_view name);
    XmlWriter& attribute(std::string_view name, std::string_view value);
    XmlWriter& text(std::string_view value);
    /// Closes the innermost open element.
    XmlWriter& end();
    /// `<name>value</name>`.
    XmlWriter& element(std::string_view name, std::string_view value);

    /// Closes what is open and returns the document (no XML declaration).
    core::Result<std::string> finish();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace slipway::vm
