// SPDX-License-Identifier: Apache-2.0
#include "vm/xml_writer.h"

#include <libxml/xmlwriter.h>

namespace slipway::vm {
namespace {

const xmlChar* xml(const std::string& text) {
    return reinterpret_cast<const xmlChar*>(text.c_str());
}

const xmlChar* xml(const char* text) {
    return reinterpret_cast<const xmlChar*>(text);
}

}  // namespace

struct XmlWriter::Impl {
    xmlBufferPtr buffer = nullptr;
    xmlTextWriterPtr writer = nullptr;
    bool failed = false;
    std::string failure;

    void check(int rc, std::string_view what) {
        if (rc < 0 && !failed) {
            failed = true;
            failure = "writing XML (" + std::string(what) + ") failed";
        }
    }
};

XmlWriter::XmlWriter() : m_impl(std::make_unique<Impl>()) {
    m_impl->buffer = xmlBufferCreate();
    if (m_impl->buffer != nullptr) {
        m_impl->writer = xmlNewTextWriterMemory(m_impl->buffer, 0);
    }
    if (m_impl->writer == nullptr) {
        m_impl->failed = true;
        m_impl->failure = "cannot create an XML writer (out of memory)";
        return;
    }
    m_impl->check(xmlTextWriterSetIndent(m_impl->writer, 1), "indent");
    m_impl->check(xmlTextWriterSetIndentString(m_impl->writer, xml("  ")), "indent");
}

XmlWriter::~XmlWriter() {
    if (m_impl->writer != nullptr) {
        xmlFreeTextWriter(m_impl->writer);
    }
    if (m_impl->buffer != nullptr) {
        xmlBufferFree(m_impl->buffer);
    }
}

XmlWriter& XmlWriter::start(std::string_view name) {
    if (!m_impl->failed) {
        const std::string n(name);
        m_impl->check(xmlTextWriterStartElement(m_impl->writer, xml(n)), n);
    }
    return *this;
}

XmlWriter& XmlWriter::attribute(std::string_view name, std::string_view value) {
    if (!m_impl->failed) {
        const std::string n(name);
        const std::string v(value);
        m_impl->check(xmlTextWriterWriteAttribute(m_impl->writer, xml(n), xml(v)), n);
    }
    return *this;
}

XmlWriter& XmlWriter::text(std::string_view value) {
    if (!m_impl->failed) {
        const std::string v(value);
        m_impl->check(xmlTextWriterWriteString(m_impl->writer, xml(v)), "text");
    }
    return *this;
}

XmlWriter& XmlWriter::end() {
    if (!m_impl->failed) {
        m_impl->check(xmlTextWriterEndElement(m_impl->writer), "end of element");
    }
    return *this;
}

XmlWriter& XmlWriter::element(std::string_view name, std::string_view value) {
    return start(name).text(value).end();
}

core::Result<std::string> XmlWriter::finish() {
    if (!m_impl->failed) {
        m_impl->check(xmlTextWriterEndDocument(m_impl->writer), "end of document");
    }
    if (!m_impl->failed) {
        m_impl->check(xmlTextWriterFlush(m_impl->writer), "flush");
    }
    if (m_impl->failed) {
        return core::Error(core::ErrorCode::Internal, m_impl->failure);
    }
    const auto* content = xmlBufferContent(m_impl->buffer);
    return std::string(reinterpret_cast<const char*>(content),
                       static_cast<std::size_t>(xmlBufferLength(m_impl->buffer)));
}

}  // namespace slipway::vm
