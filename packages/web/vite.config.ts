import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig } from "vite";

// Each screen is a lazily imported chunk. React (with the router) and TanStack Query go in vendor chunks
// that stay cached across deploys that change only screens; Mantine is left to Rollup, so each page loads
// only the components it uses (one Mantine chunk put the whole library, ~117 KiB gzip, in every first load).
export default defineConfig({
  plugins: [react()],
  // Workspace packages (the engine) from their TypeScript sources, as the tests import them.
  resolve: { conditions: ["source", ...defaultClientConditions] },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (/node_modules\/(react|react-dom|scheduler|react-router)\//.test(id)) return "react";
          if (/node_modules\/@tanstack\//.test(id)) return "query";
          return undefined;
        },
      },
    },
  },
  server: { proxy: { "^/(?!src|@|node_modules|assets).*": "http://127.0.0.1:8420" } },
});
