export interface ProjectsTables {
  projects: {
    key: string;
    name: string;
    description: string;
    tags: string;
    /** Secret that signs results callbacks and webhooks of this project. */
    callback_secret: string;
    created_at: string;
    /** JSON ProjectSettings (LaunchDarkly's project options). */
    settings: string;
  };
  environments: {
    project_key: string;
    key: string;
    name: string;
    color: string;
    position: number;
    sdk_key: string;
    client_key: string;
    created_at: string;
    /** JSON EnvironmentSettings (LaunchDarkly's environment options). */
    settings: string;
  };
}
