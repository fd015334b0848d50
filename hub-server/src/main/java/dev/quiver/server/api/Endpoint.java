package dev.quiver.server.api;

/** One operation of the HTTP API: parse the call, ask the domain, write the answer. */
@FunctionalInterface
public interface Endpoint {
    void handle(Call call) throws Exception;
}
