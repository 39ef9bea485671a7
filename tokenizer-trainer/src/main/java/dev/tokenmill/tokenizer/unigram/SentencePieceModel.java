package dev.tokenmill.tokenizer.unigram;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * SentencePiece's {@code .model}: a proto2 {@code ModelProto} — pieces (piece, score, type), the trainer spec
 * fields the encoder reads (model type, byte fallback, special ids) and the normaliser spec with our
 * precompiled character map — written and read with a few lines of wire format (no protobuf dependency).
 */
public final class SentencePieceModel {
    private static final int UNIGRAM = 1;

    // field numbers of sentencepiece_model.proto (SentencePiece's src/sentencepiece_model.proto)
    private static final int MODEL_PIECES = 1;
    private static final int MODEL_TRAINER_SPEC = 2;
    private static final int MODEL_NORMALIZER_SPEC = 3;
    private static final int PIECE_PIECE = 1;
    private static final int PIECE_SCORE = 2;
    private static final int PIECE_TYPE = 3;
    private static final int TRAINER_MODEL_TYPE = 3;
    private static final int TRAINER_VOCAB_SIZE = 4;
    private static final int TRAINER_MAX_SENTENCEPIECE_LENGTH = 20;
    private static final int TRAINER_BYTE_FALLBACK = 35;
    private static final int TRAINER_UNK_ID = 40;
    private static final int TRAINER_BOS_ID = 41;
    private static final int TRAINER_EOS_ID = 42;
    private static final int TRAINER_PAD_ID = 43;
    private static final int NORMALIZER_NAME = 1;
    private static final int NORMALIZER_PRECOMPILED_CHARSMAP = 2;
    private static final int NORMALIZER_ADD_DUMMY_PREFIX = 3;
    private static final int NORMALIZER_REMOVE_EXTRA_WHITESPACES = 4;
    private static final int NORMALIZER_ESCAPE_WHITESPACES = 5;
    private static final int LENGTH_DELIMITED = 2;

    private SentencePieceModel() {}

    public static void write(UnigramModel model, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(file.getFileName() + ".tmp");
        Files.write(tmp, toBytes(model));
        Files.move(
                tmp,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static byte[] toBytes(UnigramModel model) {
        Proto out = new Proto();
        for (int i = 0; i < model.size(); i++) {
            Proto piece = new Proto();
            piece.string(PIECE_PIECE, model.pieces().get(i));
            piece.fixed32(PIECE_SCORE, Float.floatToIntBits(model.score(i)));
            piece.varint(PIECE_TYPE, model.type(i).ordinal() + 1);
            out.message(MODEL_PIECES, piece);
        }
        Proto trainer = new Proto();
        trainer.varint(TRAINER_MODEL_TYPE, UNIGRAM);
        trainer.varint(TRAINER_VOCAB_SIZE, model.size());
        trainer.varint(TRAINER_MAX_SENTENCEPIECE_LENGTH, 16);
        trainer.varint(TRAINER_BYTE_FALLBACK, model.byteFallback() ? 1 : 0);
        trainer.varint(TRAINER_UNK_ID, model.unkId());
        trainer.varint(TRAINER_BOS_ID, model.id("<s>"));
        trainer.varint(TRAINER_EOS_ID, model.id("</s>"));
        trainer.varint(TRAINER_PAD_ID, -1);
        out.message(MODEL_TRAINER_SPEC, trainer);
        SpmNormalizer n = model.normalizer();
        Proto normalizer = new Proto();
        normalizer.string(NORMALIZER_NAME, n.charsMap().isIdentity() ? "identity" : "tokenmill_" + n.name());
        normalizer.bytes(NORMALIZER_PRECOMPILED_CHARSMAP, n.charsMap().toPrecompiled());
        normalizer.varint(NORMALIZER_ADD_DUMMY_PREFIX, n.addDummyPrefix() ? 1 : 0);
        normalizer.varint(NORMALIZER_REMOVE_EXTRA_WHITESPACES, n.removeExtraWhitespaces() ? 1 : 0);
        normalizer.varint(NORMALIZER_ESCAPE_WHITESPACES, 1);
        out.message(MODEL_NORMALIZER_SPEC, normalizer);
        return out.bytes();
    }

    /** Reads a Unigram {@code .model} (ours or one spm_train wrote). */
    public static UnigramModel read(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<String> pieces = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        List<UnigramModel.Type> types = new ArrayList<>();
        boolean byteFallback = false;
        int modelType = UNIGRAM;
        byte[] charsMap = new byte[0];
        boolean dummyPrefix = true;
        boolean removeWhitespace = true;
        String name = "identity";
        while (in.hasRemaining()) {
            long key = varint(in);
            int field = (int) (key >>> 3);
            if (field == MODEL_PIECES && (key & 7) == LENGTH_DELIMITED) {
                ByteBuffer p = sub(in);
                String piece = "";
                float score = 0;
                int type = 1;
                while (p.hasRemaining()) {
                    long k = varint(p);
                    switch ((int) (k >>> 3)) {
                        case PIECE_PIECE -> piece = new String(bytes(p), StandardCharsets.UTF_8);
                        case PIECE_SCORE -> score = p.getFloat();
                        case PIECE_TYPE -> type = (int) varint(p);
                        default -> skip(p, (int) (k & 7));
                    }
                }
                pieces.add(piece);
                scores.add(score);
                types.add(UnigramModel.Type.values()[type - 1]);
            } else if ((field == MODEL_TRAINER_SPEC || field == MODEL_NORMALIZER_SPEC)
                    && (key & 7) == LENGTH_DELIMITED) {
                ByteBuffer m = sub(in);
                while (m.hasRemaining()) {
                    long k = varint(m);
                    int f = (int) (k >>> 3);
                    if (field == MODEL_TRAINER_SPEC && f == TRAINER_MODEL_TYPE) {
                        modelType = (int) varint(m);
                    } else if (field == MODEL_TRAINER_SPEC && f == TRAINER_BYTE_FALLBACK) {
                        byteFallback = varint(m) != 0;
                    } else if (field == MODEL_NORMALIZER_SPEC && f == NORMALIZER_NAME) {
                        name = new String(bytes(m), StandardCharsets.UTF_8);
                    } else if (field == MODEL_NORMALIZER_SPEC && f == NORMALIZER_PRECOMPILED_CHARSMAP) {
                        charsMap = bytes(m);
                    } else if (field == MODEL_NORMALIZER_SPEC && f == NORMALIZER_ADD_DUMMY_PREFIX) {
                        dummyPrefix = varint(m) != 0;
                    } else if (field == MODEL_NORMALIZER_SPEC && f == NORMALIZER_REMOVE_EXTRA_WHITESPACES) {
                        removeWhitespace = varint(m) != 0;
                    } else {
                        skip(m, (int) (k & 7));
                    }
                }
            } else {
                skip(in, (int) (key & 7));
            }
        }
        if (modelType != UNIGRAM) {
            throw new IOException(file + ": model_type " + modelType + " is not Unigram (1)");
        }
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
        }
        SpmNormalizer normalizer =
                new SpmNormalizer(name, CharsMap.fromPrecompiled(charsMap), dummyPrefix, removeWhitespace);
        return new UnigramModel(pieces, s, types, normalizer, byteFallback);
    }

    private static long varint(ByteBuffer in) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
    }

    private static byte[] bytes(ByteBuffer in) {
        byte[] b = new byte[(int) varint(in)];
        in.get(b);
        return b;
    }

    private static ByteBuffer sub(ByteBuffer in) {
        int len = (int) varint(in);
        ByteBuffer s = in.slice(in.position(), len).order(ByteOrder.LITTLE_ENDIAN);
        in.position(in.position() + len);
        return s;
    }

    private static void skip(ByteBuffer in, int wire) {
        switch (wire) {
            case 0 -> varint(in);
            case 1 -> in.position(in.position() + 8);
            case 2 -> in.position(in.position() + (int) varint(in));
            case 5 -> in.position(in.position() + 4);
            default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wire);
        }
    }

    /** A protobuf message being written. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void key(int field, int wire) {
            raw((long) field << 3 | wire);
        }

        void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        void varint(int field, long v) {
            key(field, 0);
            raw(v);
        }

        void fixed32(int field, int bits) {
            key(field, 5);
            out.write(bits);
            out.write(bits >>> 8);
            out.write(bits >>> 16);
            out.write(bits >>> 24);
        }

        void bytes(int field, byte[] b) {
            key(field, 2);
            raw(b.length);
            out.writeBytes(b);
        }

        void string(int field, String s) {
            bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        void message(int field, Proto m) {
            bytes(field, m.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
