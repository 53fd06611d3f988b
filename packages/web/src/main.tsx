import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import { type CSSVariablesResolver, createTheme, MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, RouterProvider } from "react-router";
import { ApiError } from "./api/client.js";
import { Loading } from "./app/states.js";

// Every screen is its own chunk, and so is the signed-in frame (navigation, header selects, modals and
// notifications): the sign-in page downloads none of them (bench/console.bench.ts measures it).
const Shell = lazy(() => import("./app/Shell.js").then((m) => ({ default: m.ShellWithProviders })));
const Home = lazy(() => import("./app/Shell.js").then((m) => ({ default: m.Home })));
const RequireSession = lazy(() => import("./app/Shell.js").then((m) => ({ default: m.RequireSession })));
const SignInPage = lazy(() => import("./app/SignInPage.js"));
const FlagsPage = lazy(() => import("./flags/FlagsPage.js"));
const FlagPage = lazy(() => import("./flags/FlagPage.js"));
const SegmentsPage = lazy(() => import("./segments/SegmentsPage.js"));
const SegmentPage = lazy(() => import("./segments/SegmentPage.js"));
const EnvironmentsPage = lazy(() => import("./admin/EnvironmentsPage.js"));
const ExperimentsPage = lazy(() => import("./experiments/ExperimentsPage.js"));
const ExperimentPage = lazy(() => import("./experiments/ExperimentPage.js"));
const GoalsPage = lazy(() => import("./goals/GoalsPage.js"));
const AuditPage = lazy(() => import("./admin/AuditPage.js"));
const WebhooksPage = lazy(() => import("./admin/WebhooksPage.js"));
const UsersPage = lazy(() => import("./admin/UsersPage.js"));
const TokensPage = lazy(() => import("./admin/TokensPage.js"));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // 4xx answers will not change by asking again.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

// Mantine's default blue fails WCAG AA as link text on white; a darker shade passes.
// In dark mode shade 7 keeps white text on filled buttons above 4.5:1 (shade 4, Mantine's usual, is 3:1);
// links stay readable (test/browser/flags.browser.test.ts runs axe in both schemes).
const theme = createTheme({
  primaryColor: "indigo",
  primaryShade: { light: 8, dark: 7 },
  // A dialog's close button is an icon: without a name, screen readers announce a nameless button.
  components: { Modal: { defaultProps: { closeButtonProps: { "aria-label": "Close" } } } },
});
// Mantine's dimmed grey (gray.6) is 3.3:1 on white; gray.7 meets WCAG AA for descriptions and hints. In
// dark mode dimmed (dark.2) is under 4.5:1 on the dark body; dark.1 passes.
const contrast: CSSVariablesResolver = () => ({
  variables: {},
  light: { "--mantine-color-dimmed": "var(--mantine-color-gray-7)" },
  dark: { "--mantine-color-dimmed": "var(--mantine-color-dark-1)" },
});

const signedIn = (element: React.ReactNode) => (
  <Suspense fallback={<Loading />}>
    <RequireSession>{element}</RequireSession>
  </Suspense>
);
const router = createBrowserRouter([
  {
    path: "/sign-in",
    element: (
      <Suspense fallback={<Loading />}>
        <SignInPage />
      </Suspense>
    ),
  },
  { path: "/", element: signedIn(<Home />) },
  {
    path: "/p/:projectKey",
    element: signedIn(<Shell />),
    children: [
      { path: "flags", element: <FlagsPage /> },
      { path: "flags/:featureKey", element: <FlagPage /> },
      { path: "segments", element: <SegmentsPage /> },
      { path: "segments/:segmentId", element: <SegmentPage /> },
      { path: "environments", element: <EnvironmentsPage /> },
      { path: "experiments", element: <ExperimentsPage /> },
      { path: "experiments/:experimentId", element: <ExperimentPage /> },
      { path: "goals", element: <GoalsPage /> },
      { path: "audit", element: <AuditPage /> },
      { path: "webhooks", element: <WebhooksPage /> },
      { path: "users", element: <UsersPage /> },
      { path: "tokens", element: <TokensPage /> },
    ],
  },
]);

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme} cssVariablesResolver={contrast} defaultColorScheme="auto">
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
}
