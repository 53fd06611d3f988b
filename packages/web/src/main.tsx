import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import { type CSSVariablesResolver, createTheme, MantineProvider } from "@mantine/core";
import { ModalsProvider } from "@mantine/modals";
import { Notifications } from "@mantine/notifications";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, RouterProvider } from "react-router";
import { ApiError } from "./api/client.js";
import { Home, RequireSession, Shell } from "./app/Shell.js";
import { Loading } from "./app/states.js";

// Every screen is its own chunk: the sign-in page does not download the flag editor.
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
const theme = createTheme({
  primaryColor: "indigo",
  primaryShade: { light: 8, dark: 4 },
  // A dialog's close button is an icon: without a name, screen readers announce a nameless button.
  components: { Modal: { defaultProps: { closeButtonProps: { "aria-label": "Close" } } } },
});
// Mantine's dimmed grey (gray.6) is 3.3:1 on white; gray.7 meets WCAG AA for descriptions and hints.
const contrast: CSSVariablesResolver = () => ({
  variables: {},
  light: { "--mantine-color-dimmed": "var(--mantine-color-gray-7)" },
  dark: {},
});

const signedIn = (element: React.ReactNode) => <RequireSession>{element}</RequireSession>;
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
        <Notifications />
        <QueryClientProvider client={queryClient}>
          <ModalsProvider>
            <RouterProvider router={router} />
          </ModalsProvider>
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
}
