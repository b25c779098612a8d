// SPDX-License-Identifier: Apache-2.0
// The uncompressed PVH kernel the guest image boots: found in a bzImage by its compression's
// magic bytes, unpacked, and accepted only as a whole ELF file with a PVH entry note.
#include <cstring>
#include <filesystem>

#include <QProcess>
#include <QtTest>
#include <elf.h>

#include "engine/core/atomic_file.h"
#include "vm/image/pvh_kernel.h"

using namespace slipway;
using namespace slipway::vm::image;

namespace {

template <typename T>
void append(std::string& out, const T& value) {
    out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

/// A minimal ELF64 file with one PT_NOTE segment holding a "Xen" note of `noteType`.
std::string elfWithXenNote(std::uint32_t noteType) {
    std::string note;
    Elf64_Nhdr header{};
    header.n_namesz = 4;  // "Xen\0"
    header.n_descsz = 4;
    header.n_type = noteType;
    append(note, header);
    note.append("Xen\0", 4);
    note.append("\x00\x00\x10\x00", 4);  // a 32-bit entry address

    Elf64_Ehdr elf{};
    std::memcpy(elf.e_ident, ELFMAG, SELFMAG);
    elf.e_ident[EI_CLASS] = ELFCLASS64;
    elf.e_ident[EI_DATA] = ELFDATA2LSB;
    elf.e_ident[EI_VERSION] = EV_CURRENT;
    elf.e_type = ET_EXEC;
    elf.e_machine = EM_X86_64;
    elf.e_version = EV_CURRENT;
    elf.e_phoff = sizeof(Elf64_Ehdr);
    elf.e_ehsize = sizeof(Elf64_Ehdr);
    elf.e_phentsize = sizeof(Elf64_Phdr);
    elf.e_phnum = 1;
    Elf64_Phdr segment{};
    segment.p_type = PT_NOTE;
    segment.p_offset = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr);
    segment.p_filesz = note.size();
    std::string out;
    append(out, elf);
    append(out, segment);
    return out + note;
}

template <typename T>
void put(std::string& out, std::size_t at, T value) {
    std::memcpy(out.data() + at, &value, sizeof(T));
}

/// A bzImage as the boot protocol lays it out: one setup sector with its header, then the
/// protected-mode code, in which `payload` (gzipped with the gzip program, which ends with
/// the uncompressed size) starts 100 bytes in; then a trailer. `cut` drops the payload's end.
std::string fakeBzImage(const std::string& payload, std::size_t cut = 0) {
    QProcess gzip;
    gzip.start("gzip", {"-c", "-n"});
    gzip.write(payload.data(), static_cast<qint64>(payload.size()));
    gzip.closeWriteChannel();
    gzip.waitForFinished();
    std::string compressed = gzip.readAllStandardOutput().toStdString();
    compressed.resize(compressed.size() - cut);
    std::string image(2 * 512 + 100, 'S');
    put<std::uint8_t>(image, 0x1f1, 1);            // setup_sects
    put<std::uint32_t>(image, 0x202, 0x53726448);  // "HdrS"
    put<std::uint16_t>(image, 0x206, 0x020f);
    put<std::uint32_t>(image, 0x248, 100);  // payload_offset
    put<std::uint32_t>(image, 0x24c, static_cast<std::uint32_t>(compressed.size()));
    return image + compressed + std::string(64, 'T');
}

}  // namespace

class TstPvhKernel : public QObject {
    Q_OBJECT

private slots:
    void unpacksAKernelWithAPvhNote() {
        const std::string elf = elfWithXenNote(18);
        QVERIFY(hasPvhEntry(elf));
        const auto unpacked = pvhKernelFromBzImage(fakeBzImage(elf));
        QVERIFY2(unpacked.ok(), unpacked.ok() ? "" : unpacked.error().message().c_str());
        QVERIFY(*unpacked == elf);
    }

    void refusesAKernelWithoutPvh() {
        const std::string elf = elfWithXenNote(5);  // XEN_ELFNOTE_GUEST_OS, not the entry
        QVERIFY(!hasPvhEntry(elf));
        const auto unpacked = pvhKernelFromBzImage(fakeBzImage(elf));
        QVERIFY(!unpacked.ok());
        QCOMPARE(unpacked.error().code(), core::ErrorCode::NotFound);
        QVERIFY(unpacked.error().message().find("no PVH entry point") != std::string::npos);
    }

    void refusesATruncatedElf() {
        std::string elf = elfWithXenNote(18);
        elf.resize(elf.size() - 6);  // the note segment now reaches past the end
        QVERIFY(!hasPvhEntry(elf));
        QVERIFY(!hasPvhEntry("not an ELF file at all"));
    }

    void refusesBytesWithoutAPayload() {
        const auto unpacked = pvhKernelFromBzImage(std::string(4096, 'x'));
        QVERIFY(!unpacked.ok());
        QVERIFY(unpacked.error().message().find("not a bzImage") != std::string::npos);
    }

    void refusesAPayloadCutShort() {
        const auto unpacked = pvhKernelFromBzImage(fakeBzImage(elfWithXenNote(18), 10));
        QVERIFY(!unpacked.ok());
        QVERIFY(unpacked.error().message().find("does not unpack to its stated size") !=
                std::string::npos);
    }

    void unpacksTheHostsDebianKernel() {
        // Debian's kernels are xz-compressed bzImages with CONFIG_PVH: what mkguest unpacks.
        std::filesystem::path kernel;
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator("/boot", ec)) {
            if (entry.path().filename().string().starts_with("vmlinuz-")) {
                kernel = std::max(kernel, entry.path());
            }
        }
        const auto bytes =
            kernel.empty()
                ? core::Result<std::string>(core::Error(core::ErrorCode::NotFound, "no kernel"))
                : core::readFile(kernel);
        if (!bytes.ok()) {
            QSKIP("no readable /boot/vmlinuz-* (root reads Debian's kernels)");
        }
        const auto unpacked = pvhKernelFromBzImage(*bytes);
        QVERIFY2(unpacked.ok(), unpacked.ok() ? "" : unpacked.error().message().c_str());
        QVERIFY(hasPvhEntry(*unpacked));
        QVERIFY(unpacked->size() > 2 * bytes->size());
    }
};

QTEST_GUILESS_MAIN(TstPvhKernel)
#include "tst_pvh_kernel.moc"
