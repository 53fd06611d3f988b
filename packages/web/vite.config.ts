import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig } from "vite";

// Each screen is a lazily imported chunk; React, Mantine and TanStack Query go in a shared vendor chunk
// that stays cached across deploys that change only screens.
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
          if (/node_modules\/@mantine\//.test(id)) return "mantine";
          if (/node_modules\/@tanstack\//.test(id)) return "query";
          return undefined;
        },
      },
    },
  },
  server: { proxy: { "^/(?!src|@|node_modules|assets).*": "http://127.0.0.1:8420" } },
});
