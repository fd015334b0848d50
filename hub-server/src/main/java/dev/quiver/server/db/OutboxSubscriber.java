package dev.quiver.server.db;

import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Feeds confirmed outbox events, in order, to one consumer on a virtual thread, and remembers how
 * far it got so a restart resumes where it stopped. A consumer that throws sees the same event
 * again after a pause: events are never skipped.
 */
public final class OutboxSubscriber implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OutboxSubscriber.class.getName());

    private final String name;
    private final Outbox outbox;
    private final Consumer<RepoEvent> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    private OutboxSubscriber(String name, Outbox outbox, Consumer<RepoEvent> consumer) {
        this.name = name;
        this.outbox = outbox;
        this.consumer = consumer;
        this.thread = Thread.ofVirtual().name("outbox-" + name).unstarted(this::loop);
    }

    public static OutboxSubscriber start(String name, Outbox outbox, Consumer<RepoEvent> consumer) {
        OutboxSubscriber s = new OutboxSubscriber(name, outbox, consumer);
        s.thread.start();
        return s;
    }

    private void loop() {
        long offset = outbox.offset(name);
        while (running) {
            try {
                List<RepoEvent> events = outbox.after(offset, 256);
                for (RepoEvent e : events) {
                    consumer.accept(e);
                    offset = e.seq();
                    outbox.saveOffset(name, offset);
                }
                if (events.isEmpty()) {
                    outbox.awaitChange(500);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "subscriber " + name + " failed at event " + (offset + 1) + "; retrying", e);
                pause();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
