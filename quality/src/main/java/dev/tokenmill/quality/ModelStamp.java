package dev.tokenmill.quality;

import dev.tokenmill.core.StageContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A short stamp of a model file or folder from its listing (relative path, length, modification time of every
 * file): a retrained model gets a new stamp without reading gigabytes of weights.
 */
final class ModelStamp {
    private ModelStamp() {
    }

    static String of(StageContext context, String path, String what) {
        Path root = new Path(path);
        try {
            FileSystem fs = root.getFileSystem(context.spark().sessionState().newHadoopConf());
            if (!fs.exists(root)) {
                throw new IllegalArgumentException("stage 'score': the " + what + " " + path + " does not exist");
            }
            String prefix = fs.getFileStatus(root).getPath().toString();
            List<String> entries = new ArrayList<>();
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
            while (files.hasNext()) {
                LocatedFileStatus f = files.next();
                String name = f.getPath().toString().substring(Math.min(prefix.length(), f.getPath().toString().length()));
                if (!name.endsWith(".crc")) {
                    entries.add(name + ":" + f.getLen() + ":" + f.getModificationTime());
                }
            }
            entries.sort(null);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(String.join("\n", entries).getBytes(StandardCharsets.UTF_8)))
                .substring(0, 16);
        } catch (IOException e) {
            throw new IllegalArgumentException("stage 'score': cannot read the " + what + " " + path + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
