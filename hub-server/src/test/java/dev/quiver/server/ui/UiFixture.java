package dev.quiver.server.ui;

import dev.quiver.server.TestHub;
import java.net.http.HttpResponse;
import java.util.function.Predicate;

/**
 * The content the browser tests look at: a tiny base model, an adapter of it trained on a support
 * dataset (three commits), a second adapter, the dataset (JSON Lines and CSV), and a model whose card
 * tries every way a card could run script. Everything goes in through the HTTP API; {@link #seed}
 * returns once search has indexed it.
 */
record UiFixture(String baseSha, String adapterSha, byte[] adapterWeights) {
    static final String EVIL_CARD = """
            ---
            license: "<img src=x onerror=window.__pwned=4>"
            tags: ["<script>window.__pwned='tag'</script>"]
            ---
            # Totally normal card

            <script>window.__pwned = 'script'</script>

            <img src="x" onerror="window.__pwned='img'">

            [click me](javascript:window.__pwned='link')

            [entity](&#106;avascript:window.__pwned='entity')

            [upper](JaVaScRiPt:window.__pwned='upper')

            [data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)

            ![pic](javascript:window.__pwned='image')

            ![pic2](x" onerror="window.__pwned='attr')

            <a href="javascript:window.__pwned='raw'">raw link</a>

            <svg onload="window.__pwned='svg'"></svg>

            <iframe src="javascript:window.__pwned='iframe'"></iframe>

            <details open ontoggle="window.__pwned='toggle'"><summary>x</summary></details>

            Inline <b onmouseover="window.__pwned='b'">bold</b> and `<script>` in code.

            <style>body { display: none }</style>
            """;

    static UiFixture seed(TestHub hub) {
        UiSeed seed = new UiSeed(hub);
        String baseSha = seed.create("model", "acme/tiny-llama")
                .file("README.md", """
                        ---
                        license: apache-2.0
                        library_name: transformers
                        pipeline_tag: text-generation
                        ---
                        # Tiny Llama

                        A tiny base model for tests.
                        """)
                .file("config.json", "{\"architectures\":[\"LlamaForCausalLM\"],\"hidden_size\":16,"
                        + "\"num_hidden_layers\":1,\"vocab_size\":32}")
                .lfs("model.safetensors", UiSeed.safetensors(
                        "model.embed_tokens.weight", new long[] {32, 16},
                        "model.layers.0.self_attn.q_proj.weight", new long[] {16, 16},
                        "model.layers.0.self_attn.v_proj.weight", new long[] {16, 16}))
                .push();

        StringBuilder jsonl = new StringBuilder();
        for (int i = 1; i <= 30; i++) {
            jsonl.append("{\"question\":\"How do I reset my password? (").append(i)
                    .append(")\",\"answer\":\"Open Settings, then Security, then Reset.\"}\n");
        }
        seed.create("dataset", "acme/support-qa")
                .file("README.md", """
                        ---
                        license: cc-by-4.0
                        language: [en]
                        ---
                        # Support QA

                        Customer support questions and answers.
                        """)
                .file("data/train.jsonl", jsonl.toString())
                .file("data/eval.csv", "question,answer\n"
                        + "\"a, quoted \"\"field\"\"\",yes\n"
                        + "\"two\nlines\",no\n"
                        + "plain,maybe\n")
                .push();

        byte[] weights = UiSeed.safetensors(
                "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", new long[] {4, 16},
                "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight", new long[] {16, 4},
                "base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight", new long[] {4, 16},
                "base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight", new long[] {16, 4});
        String card = """
                ---
                base_model: acme/tiny-llama
                base_model_revision: %s
                library_name: peft
                license: mit
                language: [en]
                datasets: [acme/support-qa]
                pipeline_tag: text-generation
                tags: [lora, support]
                ---
                # Support LoRA

                Answers customer support questions politely.
                """.formatted(baseSha);
        seed.create("model", "acme/support-lora")
                .file("README.md", card)
                .file("adapter_config.json", """
                        {"base_model_name_or_path": "acme/tiny-llama", "revision": "%s", "peft_type": "LORA",
                         "task_type": "CAUSAL_LM", "r": 4, "lora_alpha": 8, "lora_dropout": 0.0,
                         "target_modules": ["q_proj", "v_proj"], "bias": "none", "inference_mode": true}
                        """.formatted(baseSha))
                .lfs("adapter_model.safetensors", weights)
                .push();
        String adapterSha = seed.commit("model", "acme/support-lora", "Describe the evaluation")
                .file("README.md", card + """

                        ## Evaluation

                        | metric | value |
                        |---|---|
                        | exact match | 0.81 |
                        """)
                .push();

        seed.create("model", "bob/legal-lora")
                .file("README.md", """
                        ---
                        base_model: acme/tiny-llama
                        library_name: peft
                        license: apache-2.0
                        ---
                        # Legal LoRA

                        Summarises contract clauses.
                        """)
                .file("adapter_config.json", """
                        {"base_model_name_or_path": "acme/tiny-llama", "peft_type": "LORA", "r": 8, "lora_alpha": 16,
                         "target_modules": ["q_proj"]}
                        """)
                .push();

        seed.create("model", "mallory/evil-card").file("README.md", EVIL_CARD).push();

        await(hub, "/api/quiver/search?q=support", r -> r.contains("acme/support-lora") && r.contains("acme/support-qa"));
        await(hub, "/api/quiver/models/acme/tiny-llama/adapters", r -> r.contains("acme/support-lora"));
        await(hub, "/api/quiver/search?q=normal", r -> r.contains("mallory/evil-card"));
        await(hub, "/api/quiver/search?q=contract", r -> r.contains("bob/legal-lora"));
        return new UiFixture(baseSha, adapterSha, weights);
    }

    private static void await(TestHub hub, String path, Predicate<String> done) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = hub.get(path);
            last = r.body();
            if (r.statusCode() == 200 && done.test(last)) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("search never answered " + path + " as expected; last answer: " + last);
    }
}
