// Placeholder console: shows the service status until the real console lands.
const app = document.querySelector<HTMLElement>("#app");

async function showStatus(target: HTMLElement): Promise<void> {
  const response = await fetch("/healthz");
  const health = (await response.json()) as { status: string };
  target.innerHTML = `<h1>Vexil</h1><p>Service status: <strong>${health.status}</strong></p>
  <p>API documentation: <a href="/docs">/docs</a> (OpenAPI at <a href="/openapi.json">/openapi.json</a>).</p>`;
}

if (app) void showStatus(app);
