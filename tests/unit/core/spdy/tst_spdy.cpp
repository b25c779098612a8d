// SPDX-License-Identifier: Apache-2.0
#include <random>

#include <QtTest>
#include <openssl/sha.h>

#include "engine/core/spdy/spdy.h"

using namespace slipway::core::spdy;

namespace {

std::string bytes(std::initializer_list<int> values) {
    std::string out;
    for (const int value : values) {
        out.push_back(static_cast<char>(value));
    }
    return out;
}

std::string hex(std::string_view data) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (const char c : data) {
        out.push_back(kHex[(static_cast<unsigned char>(c) >> 4) & 15]);
        out.push_back(kHex[static_cast<unsigned char>(c) & 15]);
    }
    return out;
}

// Two header blocks of one direction, compressed by Python's zlib (level 9, the SPDY/3
// dictionary, a sync flush after each): the second refers back into the first.
const std::string kErrorStreamBlock(
    "\x78\xf9\xe3\xc6\xa7\xc2\x02\x25\x3a\x70\x3a\x2b\x29\x4a\x4d\xcc\x85\x16\x25\xac\xa9\xa0"
    "\x80\x86\x14\xcb\x45\xe0\x1c\x60\x61\x60\x61\x00\xa4\x39\x8b\x20\xd1\x98\x09\x4a\xde\x8c"
    "\x06\x00\x00\x00\x00\xff\xff",
    51);
const std::string kDataStreamBlock("\xc2\xaa\x19\x54\x0e\x25\x12\xd6\x0b\x00\x00\x00\xff\xff", 14);

std::vector<Frame> decodeAll(FrameDecoder& decoder) {
    std::vector<Frame> frames;
    while (true) {
        auto next = decoder.next();
        if (!next || !*next) {
            return frames;
        }
        frames.push_back(std::move(**next));
    }
}

}  // namespace

class TstSpdy : public QObject {
    Q_OBJECT
private slots:
    void dictionaryIsTheSpecs() {
        const auto dictionary = headerDictionary();
        QCOMPARE(dictionary.size(), std::size_t(1423));
        unsigned char digest[SHA256_DIGEST_LENGTH];
        SHA256(reinterpret_cast<const unsigned char*>(dictionary.data()), dictionary.size(),
               digest);
        QCOMPARE(hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest)),
                 std::string("51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02"));
        QVERIFY(dictionary.substr(0, 11) == std::string_view("\0\0\0\7options", 11));
        QVERIFY(dictionary.ends_with("enq=0."));
    }

    void controlFramesHaveKnownBytes() {
        FrameEncoder encoder;
        QCOMPARE(hex(encoder.encode(Frame::makePing(1))), std::string("8003000600000004"
                                                                      "00000001"));
        QCOMPARE(hex(encoder.encode(Frame::makeRstStream(3, RstStatus::Cancel))),
                 std::string("8003000300000008"
                             "00000003"
                             "00000005"));
        QCOMPARE(hex(encoder.encode(Frame::makeGoAway(7, GoAwayStatus::Ok))),
                 std::string("8003000700000008"
                             "00000007"
                             "00000000"));
        QCOMPARE(hex(encoder.encode(Frame::makeWindowUpdate(5, 65536))),
                 std::string("8003000900000008"
                             "00000005"
                             "00010000"));
        QCOMPARE(hex(encoder.encode(Frame::makeSettings({{0, 7, 65536}}))),
                 std::string("800300040000000c"
                             "00000001"
                             "00000007"
                             "00010000"));
        QCOMPARE(hex(encoder.encode(Frame::makeData(1, "hi", true))),
                 std::string("00000001010000026869"));
        QCOMPARE(hex(encoder.encode(Frame::makeData(2, "", false))),
                 std::string("0000000200000000"));
    }

    void decodesKnownCompressedHeaderBlocks() {
        // SYN_STREAM 1 (the error stream) then SYN_STREAM 3 (data), as kubectl opens them.
        std::string wire = bytes({0x80, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 61});
        wire += bytes({0, 0, 0, 1, 0, 0, 0, 0, 0, 0}) + kErrorStreamBlock;
        wire += bytes({0x80, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 24});
        wire += bytes({0, 0, 0, 3, 0, 0, 0, 0, 0, 0}) + kDataStreamBlock;
        FrameDecoder decoder;
        decoder.feed(wire);
        const auto frames = decodeAll(decoder);
        QCOMPARE(frames.size(), std::size_t(2));
        QCOMPARE(frames[0].type, FrameType::SynStream);
        QCOMPARE(frames[0].streamId, 1u);
        QCOMPARE(frames[0].headers.value("streamType"), std::string("error"));
        QCOMPARE(frames[0].headers.value("port"), std::string("8080"));
        QCOMPARE(frames[0].headers.value("requestID"), std::string("0"));
        QCOMPARE(frames[1].streamId, 3u);
        QCOMPARE(frames[1].headers.value("streamtype"), std::string("data"));
        QCOMPARE(frames[1].headers.value("requestid"), std::string("0"));
        QCOMPARE(decoder.buffered(), std::size_t(0));
    }

    void roundTripsEveryFrameType() {
        HeaderBlock headers{{"streamType", "data"}, {"port", "80"}, {"requestID", "12"}};
        std::vector<Frame> frames = {
            Frame::makeSynStream(1, headers, false, 3),
            Frame::makeSynReply(1, {}, false),
            Frame::makeSynReply(3, {{"x-one", "a"}, {"x-one", "b"}}, true),
            Frame::makeData(1, std::string(70000, 'x'), true),
            Frame::makeData(1, "", true),
            Frame::makeRstStream(1, RstStatus::InternalError),
            Frame::makePing(0x7fffffff),
            Frame::makeGoAway(9, GoAwayStatus::ProtocolError),
            Frame::makeWindowUpdate(0, 1024),
            Frame::makeSettings({{1, 4, 100}, {0, 7, 65536}}),
        };
        Frame headersFrame = Frame::makeSynReply(5, {{"status", "200"}}, true);
        headersFrame.type = FrameType::Headers;
        frames.push_back(headersFrame);
        FrameEncoder encoder;
        std::string wire;
        for (const auto& frame : frames) {
            wire += encoder.encode(frame);
        }
        // Fed a byte at a time: frames only come out once complete.
        FrameDecoder decoder;
        std::vector<Frame> decoded;
        for (const char c : wire) {
            decoder.feed(std::string_view(&c, 1));
            for (auto& frame : decodeAll(decoder)) {
                decoded.push_back(std::move(frame));
            }
        }
        QCOMPARE(decoded.size(), frames.size());
        // Names come back lower case; repeated names as one NUL-joined value.
        frames[0].headers = {{"streamtype", "data"}, {"port", "80"}, {"requestid", "12"}};
        frames[2].headers = {{"x-one", std::string("a\0b", 3)}};
        for (std::size_t i = 0; i < frames.size(); ++i) {
            QVERIFY2(decoded[i] == frames[i], std::to_string(i).c_str());
        }
        QCOMPARE(decoded[2].headers.value("X-One"), std::string("a"));
    }

    void compressionContextSpansFrames() {
        // The second block of one direction is much smaller: it refers back to the first.
        HeaderCompressor compressor;
        HeaderBlock headers{{"streamtype", "data"}, {"port", "8080"}, {"requestid", "4"}};
        const auto first = compressor.compress(headers);
        const auto second = compressor.compress(headers);
        QVERIFY(second.size() < first.size());
        HeaderDecompressor decompressor;
        QCOMPARE(*decompressor.decompress(first), headers);
        QCOMPARE(*decompressor.decompress(second), headers);
        // A fresh decompressor cannot read the second alone.
        HeaderDecompressor fresh;
        QVERIFY(!fresh.decompress(second).ok());
    }

    void refusesMalformedInput() {
        {
            FrameDecoder decoder;
            // Version 2.
            decoder.feed(bytes({0x80, 0x02, 0x00, 0x06, 0, 0, 0, 4, 0, 0, 0, 1}));
            QVERIFY(!decoder.next().ok());
        }
        {
            FrameDecoder decoder(1024);
            decoder.feed(bytes({0, 0, 0, 1, 0, 0, 0x10, 0}));  // 4096 bytes of data
            QVERIFY(!decoder.next().ok());
        }
        {
            FrameDecoder decoder;
            decoder.feed(bytes({0x80, 0x03, 0x00, 0x03, 0, 0, 0, 4, 0, 0, 0, 1}));  // short RST
            QVERIFY(!decoder.next().ok());
        }
        {
            // Garbage instead of a zlib stream.
            FrameDecoder decoder;
            decoder.feed(bytes({0x80, 0x03, 0x00, 0x02, 0, 0, 0, 8, 0, 0, 0, 1, 1, 2, 3, 4}));
            QVERIFY(!decoder.next().ok());
        }
        {
            // Unknown control types (NOOP, CREDENTIAL) are passed on as Unknown, not errors.
            FrameDecoder decoder;
            decoder.feed(bytes({0x80, 0x03, 0x00, 0x0a, 0, 0, 0, 2, 9, 9}));
            auto frame = decoder.next();
            QVERIFY(frame.ok() && frame->has_value());
            QCOMPARE((*frame)->type, FrameType::Unknown);
            QCOMPARE((*frame)->rawType, std::uint16_t(10));
        }
    }

    void survivesRandomInput() {
        std::mt19937 random(42);
        for (int round = 0; round < 2000; ++round) {
            FrameDecoder decoder(4096);
            std::string wire;
            const int length = static_cast<int>(random() % 64);
            // Half the rounds start with a valid SPDY/3 control header to reach the parsers.
            if (round % 2 == 0) {
                wire = bytes({0x80, 0x03, 0x00, static_cast<int>(random() % 11), 0, 0, 0, length});
            }
            for (int i = 0; i < length; ++i) {
                wire.push_back(static_cast<char>(random()));
            }
            decoder.feed(wire);
            for (int i = 0; i < 8; ++i) {
                auto next = decoder.next();
                if (!next || !*next) {
                    break;
                }
            }
        }
    }

    void connectionAnswersPingsAndPairsStreams() {
        std::vector<std::pair<std::uint32_t, HeaderBlock>> opened;
        std::string received;
        bool finished = false;
        Connection::Handlers serverHandlers;
        Connection* serverPtr = nullptr;
        serverHandlers.stream = [&](std::uint32_t id, const HeaderBlock& headers, bool) {
            opened.emplace_back(id, headers);
            serverPtr->reply(id);
        };
        serverHandlers.data = [&](std::uint32_t, std::string_view data, bool fin) {
            received += data;
            finished = finished || fin;
        };
        Connection server(Connection::Role::Server, serverHandlers);
        serverPtr = &server;

        std::vector<std::uint32_t> replies;
        std::string echoed;
        Connection::Handlers clientHandlers;
        clientHandlers.reply = [&](std::uint32_t id, const HeaderBlock&, bool) {
            replies.push_back(id);
        };
        clientHandlers.data = [&](std::uint32_t, std::string_view data, bool) { echoed += data; };
        Connection client(Connection::Role::Client, clientHandlers);

        const auto errorId = client.openStream({{"streamType", "error"}, {"port", "80"}});
        const auto dataId = client.openStream({{"streamType", "data"}, {"port", "80"}});
        QCOMPARE(errorId, 1u);
        QCOMPARE(dataId, 3u);
        client.sendData(dataId, "GET / HTTP/1.0\r\n\r\n", true);
        client.ping();
        QVERIFY(server.receive(client.takeOutput()).ok());
        QCOMPARE(opened.size(), std::size_t(2));
        QCOMPARE(opened[1].second.value("streamtype"), std::string("data"));
        QCOMPARE(received, std::string("GET / HTTP/1.0\r\n\r\n"));
        QVERIFY(finished);
        // The server's output: two replies and the ping's echo.
        server.sendData(dataId, "HTTP/1.0 200 OK\r\n\r\n", true);
        QVERIFY(client.receive(server.takeOutput()).ok());
        QCOMPARE(replies, (std::vector<std::uint32_t>{1, 3}));
        QCOMPARE(echoed, std::string("HTTP/1.0 200 OK\r\n\r\n"));
        QVERIFY(!client.hasOutput());  // an answered ping is not answered again

        // A stream id going backwards is refused with RST_STREAM PROTOCOL_ERROR.
        Connection fresh(Connection::Role::Server, {});
        FrameEncoder encoder;
        QVERIFY(fresh.receive(encoder.encode(Frame::makeSynStream(5, {{"a", "b"}}))).ok());
        QVERIFY(fresh.receive(encoder.encode(Frame::makeSynStream(3, {{"a", "b"}}))).ok());
        FrameDecoder decoder;
        decoder.feed(fresh.takeOutput());
        const auto frames = decodeAll(decoder);
        QCOMPARE(frames.size(), std::size_t(1));
        QCOMPARE(frames[0].type, FrameType::RstStream);
        QCOMPARE(frames[0].streamId, 3u);
        QCOMPARE(frames[0].status, static_cast<std::uint32_t>(RstStatus::ProtocolError));

        // A protocol error queues GOAWAY PROTOCOL_ERROR.
        QVERIFY(!fresh.receive(bytes({0x80, 0x02, 0, 6, 0, 0, 0, 4, 0, 0, 0, 1})).ok());
        QVERIFY(fresh.goingAway());
        FrameDecoder goAway;
        goAway.feed(fresh.takeOutput());
        const auto last = decodeAll(goAway);
        QCOMPARE(last.size(), std::size_t(1));
        QCOMPARE(last[0].type, FrameType::GoAway);
        QCOMPARE(last[0].lastGoodStreamId, 5u);
    }
};

QTEST_GUILESS_MAIN(TstSpdy)
#include "tst_spdy.moc"
