// Drives an embedded Slipway through its postMessage API (docs/embedding.md).
const params = new URLSearchParams(location.search);
const slipwayUrl = new URL(params.get("slipway") ?? "http://127.0.0.1:8080/");
const frame = document.getElementById("slipway");
const src = new URL(slipwayUrl);
// Allow this page's origin to drive the frame; start from a preset, show designer and findings.
src.searchParams.set("embed", location.origin);
src.searchParams.set("preset", params.get("preset") ?? "go-service");
src.searchParams.set("panels", params.get("panels") ?? "designer,findings");
if (params.has("readonly")) src.searchParams.set("readonly", "1");
frame.src = src.href;

const $ = (id) => document.getElementById(id);
let nextId = 1;
const pending = new Map();

/** Sends a request to Slipway and resolves with its reply. */
function request(message) {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    frame.contentWindow.postMessage({ ...message, id }, slipwayUrl.origin);
  });
}

function showFindings(findings) {
  $("findings").textContent = String(findings.length);
  $("blocking").textContent = String(findings.filter((f) => !f.waived && (f.severity === "critical" || f.severity === "high")).length);
}

window.addEventListener("message", (event) => {
  // Only Slipway's origin may talk to this page.
  if (event.origin !== slipwayUrl.origin || event.source !== frame.contentWindow) return;
  const message = event.data ?? {};
  if (message.id != null && pending.has(message.id)) {
    pending.get(message.id)(message);
    pending.delete(message.id);
  }
  switch (message.type) {
    case "slipway:ready":
      $("status").textContent = `ready (Slipway ${message.version})`;
      break;
    case "slipway:changed":
      $("project").textContent = message.design.project.name;
      break;
    case "slipway:findings":
      showFindings(message.findings);
      break;
  }
});

$("get-design").addEventListener("click", async () => {
  const reply = await request({ type: "slipway:get-design" });
  $("project").textContent = reply.design.project.name;
  $("design").value = reply.yaml;
});

$("get-bundle").addEventListener("click", async () => {
  const reply = await request({ type: "slipway:get-bundle" });
  $("files").replaceChildren(
    ...reply.files.map((file) => Object.assign(document.createElement("li"), { textContent: file.path })),
    Object.assign(document.createElement("li"), { id: "zip-size", textContent: `zip: ${reply.zip.byteLength} bytes` }),
  );
});

$("load").addEventListener("click", async () => {
  const reply = await request({ type: "slipway:load", design: $("design").value });
  $("error").textContent =
    reply.type === "slipway:error" ? `Line ${reply.error.line ?? "?"}: ${reply.error.field ?? ""} ${reply.error.message}` : "";
});

$("dark").addEventListener("click", () =>
  request({ type: "slipway:set-theme", theme: "dark", properties: { "--accent": "#7c5cff" } }),
);
