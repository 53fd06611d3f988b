import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import { type CSSVariablesResolver, createTheme, MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, RouterProvider } from "react-router";
import { ApiError } from "./api/client.js";
import { projectsQuery } from "./app/project.js";
import { sessionQuery } from "./app/session.js";
import { Loading } from "./app/states.js";
import { defaultFilters, listQuery } from "./flags/flag-list.js";
import { flagListQuery, flagQuery } from "./flags/queries.js";

// Every screen is its own chunk, and so is the signed-in frame (navigation, header selects, modals and
// notifications): the sign-in page downloads none of them (bench/console.bench.ts measures it).
const chunks = {
  shell: () => import("./app/Shell.js"),
  flags: () => import("./flags/FlagsPage.js"),
  flag: () => import("./flags/FlagPage.js"),
  experiment: () => import("./experiments/ExperimentPage.js"),
};
const Shell = lazy(() => chunks.shell().then((m) => ({ default: m.ShellWithProviders })));
const Home = lazy(() => chunks.shell().then((m) => ({ default: m.Home })));
const RequireSession = lazy(() => chunks.shell().then((m) => ({ default: m.RequireSession })));
const SignInPage = lazy(() => import("./app/SignInPage.js"));
const FlagsPage = lazy(chunks.flags);
const FlagPage = lazy(chunks.flag);
const SegmentsPage = lazy(() => import("./segments/SegmentsPage.js"));
const SegmentPage = lazy(() => import("./segments/SegmentPage.js"));
const EnvironmentsPage = lazy(() => import("./admin/EnvironmentsPage.js"));
const ExperimentsPage = lazy(() => import("./experiments/ExperimentsPage.js"));
const ExperimentPage = lazy(chunks.experiment);
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
// Route loaders start what a page waits for at once and in parallel: the session, the projects, the page's
// code and its first data. Rendered alone, each step waits for the one before (session, then the frame's
// chunk, then the page's chunk, then its data). They return at once: the pages show their own loading states.
function signedInLoader() {
  void queryClient.prefetchQuery(sessionQuery);
  void queryClient.prefetchQuery(projectsQuery);
  void chunks.shell();
  return null;
}
const router = createBrowserRouter([
  {
    path: "/sign-in",
    element: (
      <Suspense fallback={<Loading />}>
        <SignInPage />
      </Suspense>
    ),
  },
  { path: "/", element: signedIn(<Home />), loader: signedInLoader },
  {
    path: "/p/:projectKey",
    element: signedIn(<Shell />),
    loader: signedInLoader,
    children: [
      {
        path: "flags",
        element: <FlagsPage />,
        loader: ({ params }) => {
          void chunks.flags();
          void queryClient.prefetchQuery(
            flagListQuery(listQuery(params.projectKey ?? "", "", defaultFilters)),
          );
          return null;
        },
      },
      {
        path: "flags/:featureKey",
        element: <FlagPage />,
        loader: ({ params }) => {
          void chunks.flag();
          void queryClient.prefetchQuery(flagQuery(params.projectKey ?? "", params.featureKey ?? ""));
          return null;
        },
      },
      { path: "segments", element: <SegmentsPage /> },
      { path: "segments/:segmentId", element: <SegmentPage /> },
      { path: "environments", element: <EnvironmentsPage /> },
      { path: "experiments", element: <ExperimentsPage /> },
      {
        path: "experiments/:experimentId",
        element: <ExperimentPage />,
        loader: ({ params }) => {
          void chunks.experiment();
          // The experiment's list and flag (the results requests need both) in a chunk of their own.
          void import("./experiments/api.js")
            .then((m) =>
              m.prefetchExperiment(queryClient, params.projectKey ?? "", params.experimentId ?? ""),
            )
            // The page asks again and shows the error.
            .catch(() => undefined);
          return null;
        },
      },
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
