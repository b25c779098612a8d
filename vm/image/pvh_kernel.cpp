// SPDX-License-Identifier: Apache-2.0
#include "vm/image/pvh_kernel.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>

#include <archive.h>
#include <elf.h>

namespace slipway::vm::image {

using core::Error;
using core::ErrorCode;

namespace {

/// Xen's ELF note carrying the 32-bit physical entry point that PVH boots through.
constexpr std::uint32_t kXenElfNotePhys32Entry = 18;

struct ArchiveDeleter {
    void operator()(archive* a) const { archive_read_free(a); }
};

/// Decompresses `compressed`, one whole stream; what it gave before an error otherwise.
std::string decompress(std::string_view compressed) {
    std::unique_ptr<archive, ArchiveDeleter> reader(archive_read_new());
    archive_read_support_filter_all(reader.get());
    archive_read_support_format_raw(reader.get());
    if (archive_read_open_memory(reader.get(), compressed.data(), compressed.size()) !=
        ARCHIVE_OK) {
        return {};
    }
    archive_entry* entry = nullptr;
    if (archive_read_next_header(reader.get(), &entry) != ARCHIVE_OK) {
        return {};
    }
    std::string out;
    std::array<char, 1 << 16> buffer{};
    for (;;) {
        const la_ssize_t n = archive_read_data(reader.get(), buffer.data(), buffer.size());
        if (n <= 0) {
            break;  // the end, or an error: the caller checks the size
        }
        out.append(buffer.data(), static_cast<std::size_t>(n));
    }
    return out;
}

template <typename T>
bool readAt(std::string_view bytes, std::size_t offset, T& value) {
    if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) {
        return false;
    }
    std::memcpy(&value, bytes.data() + offset, sizeof(T));
    return true;
}

bool notesHavePvhEntry(std::string_view notes) {
    std::size_t at = 0;
    const auto align4 = [](std::size_t n) { return (n + 3) & ~std::size_t{3}; };
    while (at + sizeof(Elf64_Nhdr) <= notes.size()) {
        Elf64_Nhdr header{};
        readAt(notes, at, header);
        const std::size_t nameAt = at + sizeof(Elf64_Nhdr);
        const std::size_t descAt = nameAt + align4(header.n_namesz);
        const std::size_t next = descAt + align4(header.n_descsz);
        if (next > notes.size()) {
            return false;
        }
        const std::string_view name = notes.substr(nameAt, header.n_namesz);
        if (header.n_type == kXenElfNotePhys32Entry && name == std::string_view("Xen\0", 4)) {
            return true;
        }
        at = next;
    }
    return false;
}

}  // namespace

bool hasPvhEntry(std::string_view elf) {
    Elf64_Ehdr header{};
    if (!readAt(elf, 0, header) || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 ||
        header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_phentsize != sizeof(Elf64_Phdr)) {
        return false;
    }
    if (header.e_shoff > elf.size() ||
        (elf.size() - header.e_shoff) / std::max<std::size_t>(header.e_shentsize, 1) <
            header.e_shnum) {
        return false;  // the section headers (at the end of the file) are cut off
    }
    bool pvh = false;
    for (std::size_t i = 0; i < header.e_phnum; ++i) {
        Elf64_Phdr segment{};
        if (!readAt(elf, header.e_phoff + i * sizeof(Elf64_Phdr), segment)) {
            return false;
        }
        // A truncated unpack shows as a segment reaching past the end of the file.
        if (segment.p_offset > elf.size() || elf.size() - segment.p_offset < segment.p_filesz) {
            return false;
        }
        if (segment.p_type == PT_NOTE) {
            pvh = pvh || notesHavePvhEntry(elf.substr(segment.p_offset, segment.p_filesz));
        }
    }
    return pvh;
}

core::Result<std::string> pvhKernelFromBzImage(std::string_view bzImage) {
    // The x86 boot protocol's setup header (Documentation/arch/x86/boot.rst): "HdrS" at 0x202,
    // protocol 2.08 or later for payload_offset (0x248) and payload_length (0x24c), the
    // payload starting that far into the protected-mode code, after (setup_sects + 1) sectors.
    std::uint32_t magic = 0;
    std::uint16_t version = 0;
    std::uint8_t setupSectors = 0;
    std::uint32_t payloadOffset = 0;
    std::uint32_t payloadLength = 0;
    if (!readAt(bzImage, 0x202, magic) || magic != 0x53726448 ||  // "HdrS"
        !readAt(bzImage, 0x206, version) || version < 0x0208 ||
        !readAt(bzImage, 0x1f1, setupSectors) || !readAt(bzImage, 0x248, payloadOffset) ||
        !readAt(bzImage, 0x24c, payloadLength)) {
        return Error(ErrorCode::NotFound, "not a bzImage with a payload (boot protocol 2.08+)");
    }
    const std::size_t start =
        (std::size_t{setupSectors == 0 ? std::uint8_t{4} : setupSectors} + 1) * 512 + payloadOffset;
    if (payloadLength < 4 || start > bzImage.size() || bzImage.size() - start < payloadLength) {
        return Error(ErrorCode::NotFound, "the bzImage's payload lies outside the file");
    }
    const std::string_view payload = bzImage.substr(start, payloadLength);
    // The payload ends with the uncompressed size (little-endian, 32 bits): appended by the
    // kernel's build after an xz, zstd, lzma or lz4 stream, gzip's own ISIZE for gzip.
    std::uint32_t expectedSize = 0;
    readAt(payload, payload.size() - 4, expectedSize);
    for (const auto stream : {payload.substr(0, payload.size() - 4), payload}) {
        std::string elf = decompress(stream);
        if (elf.empty() || static_cast<std::uint32_t>(elf.size()) != expectedSize) {
            continue;
        }
        if (!hasPvhEntry(elf)) {
            return Error(ErrorCode::NotFound, "the kernel has no PVH entry point (CONFIG_PVH)");
        }
        return elf;
    }
    return Error(ErrorCode::NotFound, "the bzImage's payload does not unpack to its stated size");
}

}  // namespace slipway::vm::image
