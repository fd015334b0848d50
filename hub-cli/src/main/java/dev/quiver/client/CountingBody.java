package dev.quiver.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Request bodies read from a file (whole, or a slice for a multipart part) that report how many
 * bytes they have handed to the HTTP client. When the client sends a body again (a retry), what the
 * previous attempt reported is taken back first, so progress never counts a byte twice.
 */
final class CountingBody {
    private CountingBody() {
    }

    static HttpRequest.BodyPublisher ofFile(Path file, long length, LongConsumer progress) {
        try {
            return counting(HttpRequest.BodyPublishers.ofFile(file), length, progress);
        } catch (java.io.FileNotFoundException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpRequest.BodyPublisher ofSlice(Path file, long offset, long length, LongConsumer progress) {
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> slice(file, offset, length));
        return counting(stream, length, progress);
    }

    private static InputStream slice(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            InputStream in = Channels.newInputStream(channel);
            return new InputStream() {
                private long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = in.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = in.read(buf, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }

                @Override
                public void close() throws IOException {
                    in.close();
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static HttpRequest.BodyPublisher counting(HttpRequest.BodyPublisher inner, long length, LongConsumer progress) {
        AtomicLong reported = new AtomicLong();
        Flow.Publisher<ByteBuffer> publisher = subscriber -> {
            long before = reported.getAndSet(0);
            if (before != 0) {
                progress.accept(-before);
            }
            inner.subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscriber.onSubscribe(subscription);
                }

                @Override
                public void onNext(ByteBuffer item) {
                    int n = item.remaining();
                    reported.addAndGet(n);
                    progress.accept(n);
                    subscriber.onNext(item);
                }

                @Override
                public void onError(Throwable throwable) {
                    subscriber.onError(throwable);
                }

                @Override
                public void onComplete() {
                    subscriber.onComplete();
                }
            });
        };
        return HttpRequest.BodyPublishers.fromPublisher(publisher, length);
    }
}
