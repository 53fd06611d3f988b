import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import { type CSSVariablesResolver, createTheme, MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
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
// The router loads a route's chunk (`lazy`) before it renders the route, in parallel with its loader, and
// not React.lazy under Suspense: React holds a boundary's content at least 300 ms after showing its
// fallback, and a first load showed two in a row (the frame, then the screen) when code and data were in.
const screen = (load: () => Promise<{ default: React.ComponentType }>) => async () => ({
  Component: (await load()).default,
});
const signedInScreen =
  (pick: (shell: typeof import("./app/Shell.js")) => React.ComponentType) => async () => {
    const shell = await import("./app/Shell.js");
    const Screen = pick(shell);
    return {
      Component: () => (
        <shell.RequireSession>
          <Screen />
        </shell.RequireSession>
      ),
    };
  };

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

// Route loaders start what a page waits for at once and in parallel with the chunks: the session, the
// projects and the page's first data. Rendered alone, each step waits for the one before (session, then
// the page, then its data). They return at once: the pages show their own loading states.
function signedInLoader() {
  void queryClient.prefetchQuery(sessionQuery);
  void queryClient.prefetchQuery(projectsQuery);
  return null;
}
const router = createBrowserRouter([
  {
    path: "/sign-in",
    lazy: screen(() => import("./app/SignInPage.js")),
    hydrateFallbackElement: <Loading />,
  },
  {
    path: "/",
    lazy: signedInScreen((m) => m.Home),
    loader: signedInLoader,
    hydrateFallbackElement: <Loading />,
  },
  {
    path: "/p/:projectKey",
    lazy: signedInScreen((m) => m.ShellWithProviders),
    loader: signedInLoader,
    hydrateFallbackElement: <Loading />,
    children: [
      {
        path: "flags",
        lazy: screen(() => import("./flags/FlagsPage.js")),
        loader: ({ params }) => {
          void queryClient.prefetchQuery(
            flagListQuery(listQuery(params.projectKey ?? "", "", defaultFilters)),
          );
          return null;
        },
      },
      {
        path: "flags/:featureKey",
        lazy: screen(() => import("./flags/FlagPage.js")),
        loader: ({ params }) => {
          void queryClient.prefetchQuery(flagQuery(params.projectKey ?? "", params.featureKey ?? ""));
          return null;
        },
      },
      { path: "segments", lazy: screen(() => import("./segments/SegmentsPage.js")) },
      { path: "segments/:segmentId", lazy: screen(() => import("./segments/SegmentPage.js")) },
      { path: "environments", lazy: screen(() => import("./admin/EnvironmentsPage.js")) },
      { path: "experiments", lazy: screen(() => import("./experiments/ExperimentsPage.js")) },
      {
        path: "experiments/:experimentId",
        lazy: screen(() => import("./experiments/ExperimentPage.js")),
        loader: ({ params }) => {
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
      { path: "goals", lazy: screen(() => import("./goals/GoalsPage.js")) },
      { path: "audit", lazy: screen(() => import("./admin/AuditPage.js")) },
      { path: "webhooks", lazy: screen(() => import("./admin/WebhooksPage.js")) },
      { path: "users", lazy: screen(() => import("./admin/UsersPage.js")) },
      { path: "tokens", lazy: screen(() => import("./admin/TokensPage.js")) },
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
