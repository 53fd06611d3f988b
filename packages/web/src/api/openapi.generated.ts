// Generated from the server's /openapi.json by packages/web/scripts/api-types.ts; do not edit.
// Regenerate: npm run api-types -w packages/web

export interface paths {
    "/admin/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    environmentKey?: string;
                    /** @description epoch ms, inclusive */
                    from?: number;
                    projectKey?: string;
                    /** @description epoch ms, exclusive */
                    to?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            counts: {
                                count: number;
                                environmentKey: string;
                                /** @enum {unknown} */
                                kind: "exposure" | "conversion";
                                projectKey: string;
                            }[];
                            pendingEvents: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** LaunchDarkly SDK streaming (SSE): put, then patch/delete (server-side SDK key) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Server-Sent Events */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/flags/{projectKey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query: {
                    /** @description deprecated by LaunchDarkly: filter=archived:true */
                    archived?: boolean;
                    /** @description comma-separated environment keys */
                    env?: string;
                    /** @description query, tags, archived, state, type */
                    filter?: string;
                    limit: number;
                    offset: number;
                    /** @description key, name or creationDate; '-' descends */
                    sort?: string;
                    /** @description 0: include rules and targets */
                    summary?: string;
                    tag?: string;
                };
                header?: never;
                path: {
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            items: {
                                _links: {
                                    [key: string]: {
                                        href: string;
                                        type: string;
                                    };
                                };
                                _version: number;
                                archived: boolean;
                                clientSideAvailability: {
                                    usingEnvironmentId: boolean;
                                    usingMobileKey: boolean;
                                };
                                creationDate: number;
                                customProperties: {
                                    [key: string]: unknown;
                                };
                                defaults: {
                                    offVariation: number;
                                    onVariation: number;
                                };
                                deprecated: boolean;
                                description: string;
                                environments: {
                                    [key: string]: {
                                        _environmentName: string;
                                        _site: {
                                            href: string;
                                            type: string;
                                        };
                                        _summary: {
                                            prerequisites: number;
                                            variations: {
                                                [key: string]: {
                                                    [key: string]: number | boolean;
                                                };
                                            };
                                        };
                                        /** @description Vexil extension: why LaunchDarkly's SDKs are served this flag as malformed in this environment */
                                        _vexilNotServable?: string;
                                        archived: boolean;
                                        contextTargets?: {
                                            contextKind?: string;
                                            values: string[];
                                            variation: number;
                                        }[];
                                        fallthrough: {
                                            rollout?: {
                                                bucketBy?: string;
                                                contextKind?: string;
                                                seed?: number;
                                                variations: {
                                                    _untracked?: boolean;
                                                    variation: number;
                                                    weight: number;
                                                }[];
                                            };
                                            variation?: number;
                                        };
                                        lastModified: number;
                                        offVariation: number;
                                        on: boolean;
                                        prerequisites?: {
                                            key: string;
                                            variation: number;
                                        }[];
                                        rules?: {
                                            _id?: string;
                                            clauses: {
                                                _id?: string;
                                                attribute: string;
                                                contextKind?: string;
                                                negate: boolean;
                                                op: string;
                                                values: unknown[];
                                            }[];
                                            description?: string;
                                            rollout?: {
                                                bucketBy?: string;
                                                contextKind?: string;
                                                seed?: number;
                                                variations: {
                                                    _untracked?: boolean;
                                                    variation: number;
                                                    weight: number;
                                                }[];
                                            };
                                            trackEvents: boolean;
                                            variation?: number;
                                        }[];
                                        salt: string;
                                        sel: string;
                                        targets?: {
                                            contextKind?: string;
                                            values: string[];
                                            variation: number;
                                        }[];
                                        trackEvents: boolean;
                                        trackEventsFallthrough: boolean;
                                        version: number;
                                    };
                                };
                                experiments: {
                                    baselineIdx: number;
                                    items: unknown[];
                                };
                                includeInSnippet: boolean;
                                key: string;
                                kind: "boolean" | "multivariate";
                                name: string;
                                tags: string[];
                                temporary: boolean;
                                variations: {
                                    _id: string;
                                    name: string;
                                    value: unknown;
                                }[];
                            }[];
                            totalCount: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        clientSideAvailability?: {
                            usingEnvironmentId: boolean;
                            usingMobileKey: boolean;
                        };
                        /** @description not supported */
                        customProperties?: {
                            [key: string]: unknown;
                        };
                        defaults?: {
                            offVariation: number;
                            onVariation: number;
                        };
                        description?: string;
                        /** @description must equal the project's default */
                        includeInSnippet?: boolean;
                        /** @description not supported */
                        initialPrerequisites?: unknown[];
                        /** @description 1-255 of [A-Za-z0-9._-] */
                        key: string;
                        /** @description not supported */
                        maintainerId?: string;
                        /** @description not supported */
                        maintainerTeamKey?: string;
                        /** @description not supported */
                        migrationSettings?: unknown;
                        name: string;
                        /** @description not supported */
                        purpose?: string;
                        tags?: string[];
                        /** @description false: Vexil health PERMANENT */
                        temporary?: boolean;
                        variations?: {
                            _id?: string;
                            /** @description not supported: 400 */
                            description?: string;
                            name?: string;
                            value: unknown;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            _version: number;
                            archived: boolean;
                            clientSideAvailability: {
                                usingEnvironmentId: boolean;
                                usingMobileKey: boolean;
                            };
                            creationDate: number;
                            customProperties: {
                                [key: string]: unknown;
                            };
                            defaults: {
                                offVariation: number;
                                onVariation: number;
                            };
                            deprecated: boolean;
                            description: string;
                            environments: {
                                [key: string]: {
                                    _environmentName: string;
                                    _site: {
                                        href: string;
                                        type: string;
                                    };
                                    _summary: {
                                        prerequisites: number;
                                        variations: {
                                            [key: string]: {
                                                [key: string]: number | boolean;
                                            };
                                        };
                                    };
                                    /** @description Vexil extension: why LaunchDarkly's SDKs are served this flag as malformed in this environment */
                                    _vexilNotServable?: string;
                                    archived: boolean;
                                    contextTargets?: {
                                        contextKind?: string;
                                        values: string[];
                                        variation: number;
                                    }[];
                                    fallthrough: {
                                        rollout?: {
                                            bucketBy?: string;
                                            contextKind?: string;
                                            seed?: number;
                                            variations: {
                                                _untracked?: boolean;
                                                variation: number;
                                                weight: number;
                                            }[];
                                        };
                                        variation?: number;
                                    };
                                    lastModified: number;
                                    offVariation: number;
                                    on: boolean;
                                    prerequisites?: {
                                        key: string;
                                        variation: number;
                                    }[];
                                    rules?: {
                                        _id?: string;
                                        clauses: {
                                            _id?: string;
                                            attribute: string;
                                            contextKind?: string;
                                            negate: boolean;
                                            op: string;
                                            values: unknown[];
                                        }[];
                                        description?: string;
                                        rollout?: {
                                            bucketBy?: string;
                                            contextKind?: string;
                                            seed?: number;
                                            variations: {
                                                _untracked?: boolean;
                                                variation: number;
                                                weight: number;
                                            }[];
                                        };
                                        trackEvents: boolean;
                                        variation?: number;
                                    }[];
                                    salt: string;
                                    sel: string;
                                    targets?: {
                                        contextKind?: string;
                                        values: string[];
                                        variation: number;
                                    }[];
                                    trackEvents: boolean;
                                    trackEventsFallthrough: boolean;
                                    version: number;
                                };
                            };
                            experiments: {
                                baselineIdx: number;
                                items: unknown[];
                            };
                            includeInSnippet: boolean;
                            key: string;
                            kind: "boolean" | "multivariate";
                            name: string;
                            tags: string[];
                            temporary: boolean;
                            variations: {
                                _id: string;
                                name: string;
                                value: unknown;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/flags/{projectKey}/{featureFlagKey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    env?: string;
                };
                header?: never;
                path: {
                    featureFlagKey: string;
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            _version: number;
                            archived: boolean;
                            clientSideAvailability: {
                                usingEnvironmentId: boolean;
                                usingMobileKey: boolean;
                            };
                            creationDate: number;
                            customProperties: {
                                [key: string]: unknown;
                            };
                            defaults: {
                                offVariation: number;
                                onVariation: number;
                            };
                            deprecated: boolean;
                            description: string;
                            environments: {
                                [key: string]: {
                                    _environmentName: string;
                                    _site: {
                                        href: string;
                                        type: string;
                                    };
                                    _summary: {
                                        prerequisites: number;
                                        variations: {
                                            [key: string]: {
                                                [key: string]: number | boolean;
                                            };
                                        };
                                    };
                                    /** @description Vexil extension: why LaunchDarkly's SDKs are served this flag as malformed in this environment */
                                    _vexilNotServable?: string;
                                    archived: boolean;
                                    contextTargets?: {
                                        contextKind?: string;
                                        values: string[];
                                        variation: number;
                                    }[];
                                    fallthrough: {
                                        rollout?: {
                                            bucketBy?: string;
                                            contextKind?: string;
                                            seed?: number;
                                            variations: {
                                                _untracked?: boolean;
                                                variation: number;
                                                weight: number;
                                            }[];
                                        };
                                        variation?: number;
                                    };
                                    lastModified: number;
                                    offVariation: number;
                                    on: boolean;
                                    prerequisites?: {
                                        key: string;
                                        variation: number;
                                    }[];
                                    rules?: {
                                        _id?: string;
                                        clauses: {
                                            _id?: string;
                                            attribute: string;
                                            contextKind?: string;
                                            negate: boolean;
                                            op: string;
                                            values: unknown[];
                                        }[];
                                        description?: string;
                                        rollout?: {
                                            bucketBy?: string;
                                            contextKind?: string;
                                            seed?: number;
                                            variations: {
                                                _untracked?: boolean;
                                                variation: number;
                                                weight: number;
                                            }[];
                                        };
                                        trackEvents: boolean;
                                        variation?: number;
                                    }[];
                                    salt: string;
                                    sel: string;
                                    targets?: {
                                        contextKind?: string;
                                        values: string[];
                                        variation: number;
                                    }[];
                                    trackEvents: boolean;
                                    trackEventsFallthrough: boolean;
                                    version: number;
                                };
                            };
                            experiments: {
                                baselineIdx: number;
                                items: unknown[];
                            };
                            includeInSnippet: boolean;
                            key: string;
                            kind: "boolean" | "multivariate";
                            name: string;
                            tags: string[];
                            temporary: boolean;
                            variations: {
                                _id: string;
                                name: string;
                                value: unknown;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    featureFlagKey: string;
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    featureFlagKey: string;
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        from?: string;
                        op: "add" | "remove" | "replace" | "move" | "copy" | "test";
                        path: string;
                        value?: unknown;
                    }[] | {
                        comment?: string;
                        patch: {
                            from?: string;
                            op: "add" | "remove" | "replace" | "move" | "copy" | "test";
                            path: string;
                            value?: unknown;
                        }[];
                    } | {
                        comment?: string;
                        environmentKey?: string;
                        instructions: ({
                            kind: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            _version: number;
                            archived: boolean;
                            clientSideAvailability: {
                                usingEnvironmentId: boolean;
                                usingMobileKey: boolean;
                            };
                            creationDate: number;
                            customProperties: {
                                [key: string]: unknown;
                            };
                            defaults: {
                                offVariation: number;
                                onVariation: number;
                            };
                            deprecated: boolean;
                            description: string;
                            environments: {
                                [key: string]: {
                                    _environmentName: string;
                                    _site: {
                                        href: string;
                                        type: string;
                                    };
                                    _summary: {
                                        prerequisites: number;
                                        variations: {
                                            [key: string]: {
                                                [key: string]: number | boolean;
                                            };
                                        };
                                    };
                                    /** @description Vexil extension: why LaunchDarkly's SDKs are served this flag as malformed in this environment */
                                    _vexilNotServable?: string;
                                    archived: boolean;
                                    contextTargets?: {
                                        contextKind?: string;
                                        values: string[];
                                        variation: number;
                                    }[];
                                    fallthrough: {
                                        rollout?: {
                                            bucketBy?: string;
                                            contextKind?: string;
                                            seed?: number;
                                            variations: {
                                                _untracked?: boolean;
                                                variation: number;
                                                weight: number;
                                            }[];
                                        };
                                        variation?: number;
                                    };
                                    lastModified: number;
                                    offVariation: number;
                                    on: boolean;
                                    prerequisites?: {
                                        key: string;
                                        variation: number;
                                    }[];
                                    rules?: {
                                        _id?: string;
                                        clauses: {
                                            _id?: string;
                                            attribute: string;
                                            contextKind?: string;
                                            negate: boolean;
                                            op: string;
                                            values: unknown[];
                                        }[];
                                        description?: string;
                                        rollout?: {
                                            bucketBy?: string;
                                            contextKind?: string;
                                            seed?: number;
                                            variations: {
                                                _untracked?: boolean;
                                                variation: number;
                                                weight: number;
                                            }[];
                                        };
                                        trackEvents: boolean;
                                        variation?: number;
                                    }[];
                                    salt: string;
                                    sel: string;
                                    targets?: {
                                        contextKind?: string;
                                        values: string[];
                                        variation: number;
                                    }[];
                                    trackEvents: boolean;
                                    trackEventsFallthrough: boolean;
                                    version: number;
                                };
                            };
                            experiments: {
                                baselineIdx: number;
                                items: unknown[];
                            };
                            includeInSnippet: boolean;
                            key: string;
                            kind: "boolean" | "multivariate";
                            name: string;
                            tags: string[];
                            temporary: boolean;
                            variations: {
                                _id: string;
                                name: string;
                                value: unknown;
                            }[];
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v2/flags/{projectKey}/{featureFlagKey}/copy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    featureFlagKey: string;
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        comment?: string;
                        excludedActions?: ("updateOn" | "updatePrerequisites" | "updateTargets" | "updateRules" | "updateFallthrough" | "updateOffVariation")[];
                        includedActions?: ("updateOn" | "updatePrerequisites" | "updateTargets" | "updateRules" | "updateFallthrough" | "updateOffVariation")[];
                        source: {
                            currentVersion?: number;
                            key: string;
                        };
                        target: {
                            currentVersion?: number;
                            key: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            _version: number;
                            archived: boolean;
                            clientSideAvailability: {
                                usingEnvironmentId: boolean;
                                usingMobileKey: boolean;
                            };
                            creationDate: number;
                            customProperties: {
                                [key: string]: unknown;
                            };
                            defaults: {
                                offVariation: number;
                                onVariation: number;
                            };
                            deprecated: boolean;
                            description: string;
                            environments: {
                                [key: string]: {
                                    _environmentName: string;
                                    _site: {
                                        href: string;
                                        type: string;
                                    };
                                    _summary: {
                                        prerequisites: number;
                                        variations: {
                                            [key: string]: {
                                                [key: string]: number | boolean;
                                            };
                                        };
                                    };
                                    /** @description Vexil extension: why LaunchDarkly's SDKs are served this flag as malformed in this environment */
                                    _vexilNotServable?: string;
                                    archived: boolean;
                                    contextTargets?: {
                                        contextKind?: string;
                                        values: string[];
                                        variation: number;
                                    }[];
                                    fallthrough: {
                                        rollout?: {
                                            bucketBy?: string;
                                            contextKind?: string;
                                            seed?: number;
                                            variations: {
                                                _untracked?: boolean;
                                                variation: number;
                                                weight: number;
                                            }[];
                                        };
                                        variation?: number;
                                    };
                                    lastModified: number;
                                    offVariation: number;
                                    on: boolean;
                                    prerequisites?: {
                                        key: string;
                                        variation: number;
                                    }[];
                                    rules?: {
                                        _id?: string;
                                        clauses: {
                                            _id?: string;
                                            attribute: string;
                                            contextKind?: string;
                                            negate: boolean;
                                            op: string;
                                            values: unknown[];
                                        }[];
                                        description?: string;
                                        rollout?: {
                                            bucketBy?: string;
                                            contextKind?: string;
                                            seed?: number;
                                            variations: {
                                                _untracked?: boolean;
                                                variation: number;
                                                weight: number;
                                            }[];
                                        };
                                        trackEvents: boolean;
                                        variation?: number;
                                    }[];
                                    salt: string;
                                    sel: string;
                                    targets?: {
                                        contextKind?: string;
                                        values: string[];
                                        variation: number;
                                    }[];
                                    trackEvents: boolean;
                                    trackEventsFallthrough: boolean;
                                    version: number;
                                };
                            };
                            experiments: {
                                baselineIdx: number;
                                items: unknown[];
                            };
                            includeInSnippet: boolean;
                            key: string;
                            kind: "boolean" | "multivariate";
                            name: string;
                            tags: string[];
                            temporary: boolean;
                            variations: {
                                _id: string;
                                name: string;
                                value: unknown;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/flags/{projectKey}/{featureFlagKey}/experiments/{environmentKey}/{metricKey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    from?: string;
                    to?: string;
                };
                header?: never;
                path: {
                    environmentKey: string;
                    featureFlagKey: string;
                    metricKey: string;
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            baselineIdx: number;
                            /** @description winsorisation of the goal's per-unit values (docs/statistics.md, Capping) */
                            capping?: {
                                applied: boolean;
                                /** @description the cap applied to each unit's value in this analysis */
                                cap: number | null;
                                /** @description why no cap was applied */
                                reason: string | null;
                                /** @enum {unknown} */
                                type: "none" | "absolute" | "percentile";
                                /** @description the goal's setting: absolute cap or percentile */
                                value: number | null;
                            };
                            granularity: string;
                            metadata: {
                                _id: string;
                                key: string;
                                name: string;
                            }[];
                            metricSeen: {
                                ever: boolean;
                                timestamp?: number;
                            };
                            series: {
                                Time: number;
                                VariationData: {
                                    confidenceInterval: {
                                        lower: number;
                                        upper: number;
                                    };
                                    conversionRate: number;
                                    count: number;
                                    cumulativeConfidenceInterval: {
                                        lower: number;
                                        upper: number;
                                    };
                                    cumulativeConversionRate: number;
                                    cumulativeCount: number;
                                    cumulativeValue: number;
                                    value: number;
                                }[];
                            }[];
                            stats: {
                                chi2?: number;
                                minSampleSizeMet: boolean;
                                pValue?: number;
                                winningVariationIdx?: number;
                            };
                            totals: {
                                cumulativeConfidenceInterval: {
                                    lower: number;
                                    upper: number;
                                };
                                cumulativeConversionRate: number;
                                cumulativeCount: number;
                                cumulativeImpressionCount: number;
                                cumulativeValue: number;
                                improvement?: number;
                                minSampleSize?: number;
                                pValue?: number;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/flags/{projectKey}/{featureFlagKey}/experiments/{environmentKey}/{metricKey}/results": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    environmentKey: string;
                    featureFlagKey: string;
                    metricKey: string;
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/metrics/{projectKey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query: {
                    expand?: string;
                    filter?: string;
                    limit: number;
                    offset: number;
                    sort?: string;
                };
                header?: never;
                path: {
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            items: {
                                _attachedFeatures: {
                                    key: string;
                                    name: string;
                                }[];
                                _attachedFlagCount: number;
                                /** @description epoch milliseconds */
                                _creationDate: number;
                                _id: string;
                                _links: {
                                    [key: string]: {
                                        href: string;
                                        type: string;
                                    };
                                };
                                _versionId: string;
                                analysisType: string;
                                cappingSettings: {
                                    /** @enum {unknown} */
                                    type: "none" | "absolute" | "percentile";
                                    value: number | null;
                                };
                                description: string;
                                eventDefault: {
                                    disabled: boolean;
                                    value: number;
                                };
                                eventKey: string;
                                experimentCount?: number;
                                experiments?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    creationDate: number;
                                    environmentKey: string;
                                    key: string;
                                    name: string;
                                }[];
                                isActive: boolean;
                                isNumeric: boolean;
                                key: string;
                                /** @enum {unknown} */
                                kind: "custom" | "pageview" | "click";
                                lastModified: {
                                    date: string;
                                };
                                maintainerId?: string;
                                metricGroupCount?: number;
                                metricGroups?: unknown[];
                                name: string;
                                randomizationUnits: string[];
                                selector?: string;
                                /** @enum {unknown} */
                                successCriteria: "HigherThanBaseline" | "LowerThanBaseline";
                                tags: string[];
                                unit?: string;
                                unitAggregationType: string;
                                urls: unknown[];
                            }[];
                            totalCount: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        analysisType?: string;
                        cappingSettings?: {
                            /** @enum {unknown} */
                            type: "none" | "absolute" | "percentile";
                            /** @description absolute: the cap (> 0); percentile: a fraction between 0 and 1 (0.99 = P99) */
                            value?: number | null;
                        };
                        description?: string;
                        eventDefault?: {
                            disabled?: boolean;
                            value?: number;
                        };
                        eventKey?: string;
                        isNumeric?: boolean;
                        key: string;
                        /** @enum {unknown} */
                        kind: "custom" | "pageview" | "click";
                        maintainerId?: string;
                        name?: string;
                        percentileValue?: number;
                        randomizationUnits?: string[];
                        selector?: string;
                        /** @enum {unknown} */
                        successCriteria?: "HigherThanBaseline" | "LowerThanBaseline";
                        tags?: string[];
                        unit?: string;
                        /** @enum {unknown} */
                        unitAggregationType?: "sum" | "average";
                        urls?: {
                            /** @enum {unknown} */
                            kind: "exact" | "canonical" | "substring" | "regex";
                            pattern?: string;
                            substring?: string;
                            url?: string;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _attachedFeatures: {
                                key: string;
                                name: string;
                            }[];
                            _attachedFlagCount: number;
                            /** @description epoch milliseconds */
                            _creationDate: number;
                            _id: string;
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            _versionId: string;
                            analysisType: string;
                            cappingSettings: {
                                /** @enum {unknown} */
                                type: "none" | "absolute" | "percentile";
                                value: number | null;
                            };
                            description: string;
                            eventDefault: {
                                disabled: boolean;
                                value: number;
                            };
                            eventKey: string;
                            experimentCount?: number;
                            experiments?: {
                                _links: {
                                    [key: string]: {
                                        href: string;
                                        type: string;
                                    };
                                };
                                creationDate: number;
                                environmentKey: string;
                                key: string;
                                name: string;
                            }[];
                            isActive: boolean;
                            isNumeric: boolean;
                            key: string;
                            /** @enum {unknown} */
                            kind: "custom" | "pageview" | "click";
                            lastModified: {
                                date: string;
                            };
                            maintainerId?: string;
                            metricGroupCount?: number;
                            metricGroups?: unknown[];
                            name: string;
                            randomizationUnits: string[];
                            selector?: string;
                            /** @enum {unknown} */
                            successCriteria: "HigherThanBaseline" | "LowerThanBaseline";
                            tags: string[];
                            unit?: string;
                            unitAggregationType: string;
                            urls: unknown[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/metrics/{projectKey}/{metricKey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    expand?: string;
                };
                header?: never;
                path: {
                    metricKey: string;
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _attachedFeatures: {
                                key: string;
                                name: string;
                            }[];
                            _attachedFlagCount: number;
                            /** @description epoch milliseconds */
                            _creationDate: number;
                            _id: string;
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            _versionId: string;
                            analysisType: string;
                            cappingSettings: {
                                /** @enum {unknown} */
                                type: "none" | "absolute" | "percentile";
                                value: number | null;
                            };
                            description: string;
                            eventDefault: {
                                disabled: boolean;
                                value: number;
                            };
                            eventKey: string;
                            experimentCount?: number;
                            experiments?: {
                                _links: {
                                    [key: string]: {
                                        href: string;
                                        type: string;
                                    };
                                };
                                creationDate: number;
                                environmentKey: string;
                                key: string;
                                name: string;
                            }[];
                            isActive: boolean;
                            isNumeric: boolean;
                            key: string;
                            /** @enum {unknown} */
                            kind: "custom" | "pageview" | "click";
                            lastModified: {
                                date: string;
                            };
                            maintainerId?: string;
                            metricGroupCount?: number;
                            metricGroups?: unknown[];
                            name: string;
                            randomizationUnits: string[];
                            selector?: string;
                            /** @enum {unknown} */
                            successCriteria: "HigherThanBaseline" | "LowerThanBaseline";
                            tags: string[];
                            unit?: string;
                            unitAggregationType: string;
                            urls: unknown[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    metricKey: string;
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    metricKey: string;
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        from?: string;
                        op: "add" | "remove" | "replace" | "move" | "copy" | "test";
                        path: string;
                        value?: unknown;
                    }[] | {
                        comment?: string;
                        patch: {
                            from?: string;
                            op: "add" | "remove" | "replace" | "move" | "copy" | "test";
                            path: string;
                            value?: unknown;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _attachedFeatures: {
                                key: string;
                                name: string;
                            }[];
                            _attachedFlagCount: number;
                            /** @description epoch milliseconds */
                            _creationDate: number;
                            _id: string;
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            _versionId: string;
                            analysisType: string;
                            cappingSettings: {
                                /** @enum {unknown} */
                                type: "none" | "absolute" | "percentile";
                                value: number | null;
                            };
                            description: string;
                            eventDefault: {
                                disabled: boolean;
                                value: number;
                            };
                            eventKey: string;
                            experimentCount?: number;
                            experiments?: {
                                _links: {
                                    [key: string]: {
                                        href: string;
                                        type: string;
                                    };
                                };
                                creationDate: number;
                                environmentKey: string;
                                key: string;
                                name: string;
                            }[];
                            isActive: boolean;
                            isNumeric: boolean;
                            key: string;
                            /** @enum {unknown} */
                            kind: "custom" | "pageview" | "click";
                            lastModified: {
                                date: string;
                            };
                            maintainerId?: string;
                            metricGroupCount?: number;
                            metricGroups?: unknown[];
                            name: string;
                            randomizationUnits: string[];
                            selector?: string;
                            /** @enum {unknown} */
                            successCriteria: "HigherThanBaseline" | "LowerThanBaseline";
                            tags: string[];
                            unit?: string;
                            unitAggregationType: string;
                            urls: unknown[];
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v2/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query: {
                    /** @description comma-separated: environments */
                    expand?: string;
                    filter?: string;
                    limit: number;
                    offset: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            items: {
                                _id: string;
                                _links: {
                                    [key: string]: {
                                        href: string;
                                        type: string;
                                    };
                                };
                                defaultClientSideAvailability: {
                                    usingEnvironmentId: boolean;
                                    usingMobileKey: boolean;
                                };
                                environments?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    items: {
                                        _id: string;
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        apiKey: string;
                                        color: string;
                                        confirmChanges: boolean;
                                        critical: boolean;
                                        defaultTrackEvents: boolean;
                                        defaultTtl: number;
                                        key: string;
                                        mobileKey: string;
                                        name: string;
                                        requireComments: boolean;
                                        secureMode: boolean;
                                        tags: string[];
                                    }[];
                                    totalCount: number;
                                };
                                includeInSnippetByDefault: boolean;
                                key: string;
                                name: string;
                                tags: string[];
                            }[];
                            totalCount: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        defaultClientSideAvailability?: {
                            usingEnvironmentId: boolean;
                            usingMobileKey: boolean;
                        };
                        environments?: {
                            color?: string;
                            /** @description kept and shown (a console setting) */
                            confirmChanges?: boolean;
                            critical?: boolean;
                            defaultTrackEvents?: boolean;
                            /** @description minutes */
                            defaultTtl?: number;
                            /** @description 1-64 of [A-Za-z0-9._-] */
                            key: string;
                            name: string;
                            /** @description flag changes through /api/v2/flags in this environment need a comment */
                            requireComments?: boolean;
                            /** @description false only: secure mode is not supported */
                            secureMode?: boolean;
                            /** @description not supported: 400 */
                            source?: {
                                /** @description 1-64 of [A-Za-z0-9._-] */
                                key?: string;
                                version?: number;
                            };
                            tags?: string[];
                        }[];
                        includeInSnippetByDefault?: boolean;
                        /** @description 1-64 of [A-Za-z0-9._-] */
                        key: string;
                        name: string;
                        namingConvention?: {
                            case?: "camelCase" | "upperCamelCase" | "snakeCase" | "kebabCase" | "constantCase";
                            prefix?: string;
                        };
                        tags?: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _id: string;
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            defaultClientSideAvailability: {
                                usingEnvironmentId: boolean;
                                usingMobileKey: boolean;
                            };
                            environments?: {
                                _id: string;
                                _links: {
                                    [key: string]: {
                                        href: string;
                                        type: string;
                                    };
                                };
                                apiKey: string;
                                color: string;
                                confirmChanges: boolean;
                                critical: boolean;
                                defaultTrackEvents: boolean;
                                defaultTtl: number;
                                key: string;
                                mobileKey: string;
                                name: string;
                                requireComments: boolean;
                                secureMode: boolean;
                                tags: string[];
                            }[];
                            includeInSnippetByDefault: boolean;
                            key: string;
                            name: string;
                            tags: string[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/projects/{projectKey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    /** @description comma-separated: environments */
                    expand?: string;
                };
                header?: never;
                path: {
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _id: string;
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            defaultClientSideAvailability: {
                                usingEnvironmentId: boolean;
                                usingMobileKey: boolean;
                            };
                            environments?: {
                                _links: {
                                    [key: string]: {
                                        href: string;
                                        type: string;
                                    };
                                };
                                items: {
                                    _id: string;
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    apiKey: string;
                                    color: string;
                                    confirmChanges: boolean;
                                    critical: boolean;
                                    defaultTrackEvents: boolean;
                                    defaultTtl: number;
                                    key: string;
                                    mobileKey: string;
                                    name: string;
                                    requireComments: boolean;
                                    secureMode: boolean;
                                    tags: string[];
                                }[];
                                totalCount: number;
                            };
                            includeInSnippetByDefault: boolean;
                            key: string;
                            name: string;
                            tags: string[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        from?: string;
                        op: "add" | "remove" | "replace" | "move" | "copy" | "test";
                        path: string;
                        value?: unknown;
                    }[];
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _id: string;
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            defaultClientSideAvailability: {
                                usingEnvironmentId: boolean;
                                usingMobileKey: boolean;
                            };
                            environments?: {
                                _links: {
                                    [key: string]: {
                                        href: string;
                                        type: string;
                                    };
                                };
                                items: {
                                    _id: string;
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    apiKey: string;
                                    color: string;
                                    confirmChanges: boolean;
                                    critical: boolean;
                                    defaultTrackEvents: boolean;
                                    defaultTtl: number;
                                    key: string;
                                    mobileKey: string;
                                    name: string;
                                    requireComments: boolean;
                                    secureMode: boolean;
                                    tags: string[];
                                }[];
                                totalCount: number;
                            };
                            includeInSnippetByDefault: boolean;
                            key: string;
                            name: string;
                            tags: string[];
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v2/projects/{projectKey}/environments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query: {
                    limit: number;
                    offset: number;
                };
                header?: never;
                path: {
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            items: {
                                _id: string;
                                _links: {
                                    [key: string]: {
                                        href: string;
                                        type: string;
                                    };
                                };
                                apiKey: string;
                                color: string;
                                confirmChanges: boolean;
                                critical: boolean;
                                defaultTrackEvents: boolean;
                                defaultTtl: number;
                                key: string;
                                mobileKey: string;
                                name: string;
                                requireComments: boolean;
                                secureMode: boolean;
                                tags: string[];
                            }[];
                            totalCount: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        color?: string;
                        /** @description kept and shown (a console setting) */
                        confirmChanges?: boolean;
                        critical?: boolean;
                        defaultTrackEvents?: boolean;
                        /** @description minutes */
                        defaultTtl?: number;
                        /** @description 1-64 of [A-Za-z0-9._-] */
                        key: string;
                        name: string;
                        /** @description flag changes through /api/v2/flags in this environment need a comment */
                        requireComments?: boolean;
                        /** @description false only: secure mode is not supported */
                        secureMode?: boolean;
                        /** @description not supported: 400 */
                        source?: {
                            /** @description 1-64 of [A-Za-z0-9._-] */
                            key?: string;
                            version?: number;
                        };
                        tags?: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _id: string;
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            apiKey: string;
                            color: string;
                            confirmChanges: boolean;
                            critical: boolean;
                            defaultTrackEvents: boolean;
                            defaultTtl: number;
                            key: string;
                            mobileKey: string;
                            name: string;
                            requireComments: boolean;
                            secureMode: boolean;
                            tags: string[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/projects/{projectKey}/environments/{environmentKey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    environmentKey: string;
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _id: string;
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            apiKey: string;
                            color: string;
                            confirmChanges: boolean;
                            critical: boolean;
                            defaultTrackEvents: boolean;
                            defaultTtl: number;
                            key: string;
                            mobileKey: string;
                            name: string;
                            requireComments: boolean;
                            secureMode: boolean;
                            tags: string[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    environmentKey: string;
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/projects/{projectKey}/environments/{environmentKey}/apiKey": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    environmentKey: string;
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _id: string;
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            apiKey: string;
                            color: string;
                            confirmChanges: boolean;
                            critical: boolean;
                            defaultTrackEvents: boolean;
                            defaultTtl: number;
                            key: string;
                            mobileKey: string;
                            name: string;
                            requireComments: boolean;
                            secureMode: boolean;
                            tags: string[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/projects/{projectKey}/environments/{environmentKey}/experiments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query: {
                    /** @description previousIterations, draftIteration, secondaryMetrics, treatments, analysisConfig; units (Vexil): each experiment's units */
                    expand?: string;
                    filter?: string;
                    lifecycleState?: string;
                    limit: number;
                    offset: number;
                };
                header?: never;
                path: {
                    environmentKey: string;
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            items: {
                                _creationDate: number;
                                _id: string;
                                _links: {
                                    [key: string]: {
                                        href: string;
                                        type: string;
                                    };
                                };
                                _maintainerId: string;
                                archivedDate?: number;
                                currentIteration?: {
                                    _id: string;
                                    attributes?: string[];
                                    canReshuffleTraffic: boolean;
                                    createdAt: number;
                                    endedAt?: number;
                                    flags: {
                                        [key: string]: {
                                            _links: {
                                                [key: string]: {
                                                    href: string;
                                                    type: string;
                                                };
                                            };
                                            flagConfigVersion: number;
                                            notInExperimentVariationId?: string;
                                            targetingRule: string;
                                            targetingRuleDescription?: string;
                                        };
                                    };
                                    hypothesis: string;
                                    metrics?: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        _versionId?: string;
                                        isGroup: boolean;
                                        isNumeric?: boolean;
                                        key: string;
                                        kind: string;
                                        name: string;
                                        unitAggregationType?: string;
                                    }[];
                                    primaryMetric?: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        _versionId?: string;
                                        isGroup: boolean;
                                        isNumeric?: boolean;
                                        key: string;
                                        kind: string;
                                        name: string;
                                        unitAggregationType?: string;
                                    };
                                    primarySingleMetric?: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        _versionId?: string;
                                        isNumeric?: boolean;
                                        key: string;
                                        kind: string;
                                        name: string;
                                        unitAggregationType?: string;
                                    };
                                    randomizationUnit: string;
                                    secondaryMetrics?: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        _versionId?: string;
                                        isNumeric?: boolean;
                                        key: string;
                                        kind: string;
                                        name: string;
                                        unitAggregationType?: string;
                                    }[];
                                    startedAt?: number;
                                    /** @description not_started | running | stopped */
                                    status: string;
                                    treatments?: {
                                        _id: string;
                                        allocationPercent: string;
                                        baseline: boolean;
                                        name: string;
                                        parameters: {
                                            flagKey: string;
                                            variationId: string;
                                        }[];
                                    }[];
                                    winningReason?: string;
                                    winningTreatmentId?: string;
                                };
                                description: string;
                                draftIteration?: {
                                    _id: string;
                                    attributes?: string[];
                                    canReshuffleTraffic: boolean;
                                    createdAt: number;
                                    endedAt?: number;
                                    flags: {
                                        [key: string]: {
                                            _links: {
                                                [key: string]: {
                                                    href: string;
                                                    type: string;
                                                };
                                            };
                                            flagConfigVersion: number;
                                            notInExperimentVariationId?: string;
                                            targetingRule: string;
                                            targetingRuleDescription?: string;
                                        };
                                    };
                                    hypothesis: string;
                                    metrics?: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        _versionId?: string;
                                        isGroup: boolean;
                                        isNumeric?: boolean;
                                        key: string;
                                        kind: string;
                                        name: string;
                                        unitAggregationType?: string;
                                    }[];
                                    primaryMetric?: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        _versionId?: string;
                                        isGroup: boolean;
                                        isNumeric?: boolean;
                                        key: string;
                                        kind: string;
                                        name: string;
                                        unitAggregationType?: string;
                                    };
                                    primarySingleMetric?: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        _versionId?: string;
                                        isNumeric?: boolean;
                                        key: string;
                                        kind: string;
                                        name: string;
                                        unitAggregationType?: string;
                                    };
                                    randomizationUnit: string;
                                    secondaryMetrics?: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        _versionId?: string;
                                        isNumeric?: boolean;
                                        key: string;
                                        kind: string;
                                        name: string;
                                        unitAggregationType?: string;
                                    }[];
                                    startedAt?: number;
                                    /** @description not_started | running | stopped */
                                    status: string;
                                    treatments?: {
                                        _id: string;
                                        allocationPercent: string;
                                        baseline: boolean;
                                        name: string;
                                        parameters: {
                                            flagKey: string;
                                            variationId: string;
                                        }[];
                                    }[];
                                    winningReason?: string;
                                    winningTreatmentId?: string;
                                };
                                environmentKey: string;
                                key: string;
                                name: string;
                                previousIterations?: {
                                    _id: string;
                                    attributes?: string[];
                                    canReshuffleTraffic: boolean;
                                    createdAt: number;
                                    endedAt?: number;
                                    flags: {
                                        [key: string]: {
                                            _links: {
                                                [key: string]: {
                                                    href: string;
                                                    type: string;
                                                };
                                            };
                                            flagConfigVersion: number;
                                            notInExperimentVariationId?: string;
                                            targetingRule: string;
                                            targetingRuleDescription?: string;
                                        };
                                    };
                                    hypothesis: string;
                                    metrics?: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        _versionId?: string;
                                        isGroup: boolean;
                                        isNumeric?: boolean;
                                        key: string;
                                        kind: string;
                                        name: string;
                                        unitAggregationType?: string;
                                    }[];
                                    primaryMetric?: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        _versionId?: string;
                                        isGroup: boolean;
                                        isNumeric?: boolean;
                                        key: string;
                                        kind: string;
                                        name: string;
                                        unitAggregationType?: string;
                                    };
                                    primarySingleMetric?: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        _versionId?: string;
                                        isNumeric?: boolean;
                                        key: string;
                                        kind: string;
                                        name: string;
                                        unitAggregationType?: string;
                                    };
                                    randomizationUnit: string;
                                    secondaryMetrics?: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        _versionId?: string;
                                        isNumeric?: boolean;
                                        key: string;
                                        kind: string;
                                        name: string;
                                        unitAggregationType?: string;
                                    }[];
                                    startedAt?: number;
                                    /** @description not_started | running | stopped */
                                    status: string;
                                    treatments?: {
                                        _id: string;
                                        allocationPercent: string;
                                        baseline: boolean;
                                        name: string;
                                        parameters: {
                                            flagKey: string;
                                            variationId: string;
                                        }[];
                                    }[];
                                    winningReason?: string;
                                    winningTreatmentId?: string;
                                }[];
                                /** @description List with expand=units (a Vexil extension): units of the current iteration, as its primary metric's results count them */
                                units?: number;
                            }[];
                            total_count: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    environmentKey: string;
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        analysisConfig?: unknown;
                        dataSource?: string;
                        description?: string;
                        holdoutId?: string;
                        iteration: {
                            attributes?: string[];
                            canReshuffleTraffic?: boolean;
                            covariateId?: string;
                            flags: {
                                [key: string]: {
                                    /** @description the flag version read; 409 if it changed */
                                    flagConfigVersion?: number;
                                    notInExperimentVariationId?: string | number;
                                    /** @description an EXPERIMENTATION rule id of the flag, or 'fallthrough' (a new rule is created) */
                                    ruleId?: string | number;
                                };
                            };
                            hypothesis: string;
                            metrics: {
                                /** @description metric groups are not supported (false only) */
                                isGroup?: boolean;
                                key: string;
                                /** @description deprecated: use primarySingleMetricKey */
                                primary?: boolean;
                            }[];
                            primaryFunnelKey?: string;
                            primarySingleMetricKey?: string;
                            randomizationUnit?: string;
                            reallocationFrequencyMillis?: number;
                            treatments: {
                                /** @description percent of the experiment audience, a decimal string like LaunchDarkly's or a number */
                                allocationPercent: string | number;
                                baseline?: boolean;
                                name: string;
                                parameters: {
                                    flagKey: string;
                                    /** @description the flag variation's numeric id (a string or a number), or its key */
                                    variationId: string | number;
                                }[];
                            }[];
                        };
                        /** @description 1-256 of [A-Za-z0-9._-] */
                        key: string;
                        maintainerId?: string;
                        methodology?: string;
                        name: string;
                        type?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _creationDate: number;
                            _id: string;
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            _maintainerId: string;
                            archivedDate?: number;
                            currentIteration?: {
                                _id: string;
                                attributes?: string[];
                                canReshuffleTraffic: boolean;
                                createdAt: number;
                                endedAt?: number;
                                flags: {
                                    [key: string]: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        flagConfigVersion: number;
                                        notInExperimentVariationId?: string;
                                        targetingRule: string;
                                        targetingRuleDescription?: string;
                                    };
                                };
                                hypothesis: string;
                                metrics?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isGroup: boolean;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                }[];
                                primaryMetric?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isGroup: boolean;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                };
                                primarySingleMetric?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                };
                                randomizationUnit: string;
                                secondaryMetrics?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                }[];
                                startedAt?: number;
                                /** @description not_started | running | stopped */
                                status: string;
                                treatments?: {
                                    _id: string;
                                    allocationPercent: string;
                                    baseline: boolean;
                                    name: string;
                                    parameters: {
                                        flagKey: string;
                                        variationId: string;
                                    }[];
                                }[];
                                winningReason?: string;
                                winningTreatmentId?: string;
                            };
                            description: string;
                            draftIteration?: {
                                _id: string;
                                attributes?: string[];
                                canReshuffleTraffic: boolean;
                                createdAt: number;
                                endedAt?: number;
                                flags: {
                                    [key: string]: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        flagConfigVersion: number;
                                        notInExperimentVariationId?: string;
                                        targetingRule: string;
                                        targetingRuleDescription?: string;
                                    };
                                };
                                hypothesis: string;
                                metrics?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isGroup: boolean;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                }[];
                                primaryMetric?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isGroup: boolean;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                };
                                primarySingleMetric?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                };
                                randomizationUnit: string;
                                secondaryMetrics?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                }[];
                                startedAt?: number;
                                /** @description not_started | running | stopped */
                                status: string;
                                treatments?: {
                                    _id: string;
                                    allocationPercent: string;
                                    baseline: boolean;
                                    name: string;
                                    parameters: {
                                        flagKey: string;
                                        variationId: string;
                                    }[];
                                }[];
                                winningReason?: string;
                                winningTreatmentId?: string;
                            };
                            environmentKey: string;
                            key: string;
                            name: string;
                            previousIterations?: {
                                _id: string;
                                attributes?: string[];
                                canReshuffleTraffic: boolean;
                                createdAt: number;
                                endedAt?: number;
                                flags: {
                                    [key: string]: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        flagConfigVersion: number;
                                        notInExperimentVariationId?: string;
                                        targetingRule: string;
                                        targetingRuleDescription?: string;
                                    };
                                };
                                hypothesis: string;
                                metrics?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isGroup: boolean;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                }[];
                                primaryMetric?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isGroup: boolean;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                };
                                primarySingleMetric?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                };
                                randomizationUnit: string;
                                secondaryMetrics?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                }[];
                                startedAt?: number;
                                /** @description not_started | running | stopped */
                                status: string;
                                treatments?: {
                                    _id: string;
                                    allocationPercent: string;
                                    baseline: boolean;
                                    name: string;
                                    parameters: {
                                        flagKey: string;
                                        variationId: string;
                                    }[];
                                }[];
                                winningReason?: string;
                                winningTreatmentId?: string;
                            }[];
                            /** @description List with expand=units (a Vexil extension): units of the current iteration, as its primary metric's results count them */
                            units?: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/projects/{projectKey}/environments/{environmentKey}/experiments/{experimentKey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    expand?: string;
                };
                header?: never;
                path: {
                    environmentKey: string;
                    experimentKey: string;
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _creationDate: number;
                            _id: string;
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            _maintainerId: string;
                            archivedDate?: number;
                            currentIteration?: {
                                _id: string;
                                attributes?: string[];
                                canReshuffleTraffic: boolean;
                                createdAt: number;
                                endedAt?: number;
                                flags: {
                                    [key: string]: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        flagConfigVersion: number;
                                        notInExperimentVariationId?: string;
                                        targetingRule: string;
                                        targetingRuleDescription?: string;
                                    };
                                };
                                hypothesis: string;
                                metrics?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isGroup: boolean;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                }[];
                                primaryMetric?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isGroup: boolean;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                };
                                primarySingleMetric?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                };
                                randomizationUnit: string;
                                secondaryMetrics?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                }[];
                                startedAt?: number;
                                /** @description not_started | running | stopped */
                                status: string;
                                treatments?: {
                                    _id: string;
                                    allocationPercent: string;
                                    baseline: boolean;
                                    name: string;
                                    parameters: {
                                        flagKey: string;
                                        variationId: string;
                                    }[];
                                }[];
                                winningReason?: string;
                                winningTreatmentId?: string;
                            };
                            description: string;
                            draftIteration?: {
                                _id: string;
                                attributes?: string[];
                                canReshuffleTraffic: boolean;
                                createdAt: number;
                                endedAt?: number;
                                flags: {
                                    [key: string]: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        flagConfigVersion: number;
                                        notInExperimentVariationId?: string;
                                        targetingRule: string;
                                        targetingRuleDescription?: string;
                                    };
                                };
                                hypothesis: string;
                                metrics?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isGroup: boolean;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                }[];
                                primaryMetric?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isGroup: boolean;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                };
                                primarySingleMetric?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                };
                                randomizationUnit: string;
                                secondaryMetrics?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                }[];
                                startedAt?: number;
                                /** @description not_started | running | stopped */
                                status: string;
                                treatments?: {
                                    _id: string;
                                    allocationPercent: string;
                                    baseline: boolean;
                                    name: string;
                                    parameters: {
                                        flagKey: string;
                                        variationId: string;
                                    }[];
                                }[];
                                winningReason?: string;
                                winningTreatmentId?: string;
                            };
                            environmentKey: string;
                            key: string;
                            name: string;
                            previousIterations?: {
                                _id: string;
                                attributes?: string[];
                                canReshuffleTraffic: boolean;
                                createdAt: number;
                                endedAt?: number;
                                flags: {
                                    [key: string]: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        flagConfigVersion: number;
                                        notInExperimentVariationId?: string;
                                        targetingRule: string;
                                        targetingRuleDescription?: string;
                                    };
                                };
                                hypothesis: string;
                                metrics?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isGroup: boolean;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                }[];
                                primaryMetric?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isGroup: boolean;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                };
                                primarySingleMetric?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                };
                                randomizationUnit: string;
                                secondaryMetrics?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                }[];
                                startedAt?: number;
                                /** @description not_started | running | stopped */
                                status: string;
                                treatments?: {
                                    _id: string;
                                    allocationPercent: string;
                                    baseline: boolean;
                                    name: string;
                                    parameters: {
                                        flagKey: string;
                                        variationId: string;
                                    }[];
                                }[];
                                winningReason?: string;
                                winningTreatmentId?: string;
                            }[];
                            /** @description List with expand=units (a Vexil extension): units of the current iteration, as its primary metric's results count them */
                            units?: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    environmentKey: string;
                    experimentKey: string;
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        comment?: string;
                        environmentKey?: string;
                        instructions: {
                            kind: string;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _creationDate: number;
                            _id: string;
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            _maintainerId: string;
                            archivedDate?: number;
                            currentIteration?: {
                                _id: string;
                                attributes?: string[];
                                canReshuffleTraffic: boolean;
                                createdAt: number;
                                endedAt?: number;
                                flags: {
                                    [key: string]: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        flagConfigVersion: number;
                                        notInExperimentVariationId?: string;
                                        targetingRule: string;
                                        targetingRuleDescription?: string;
                                    };
                                };
                                hypothesis: string;
                                metrics?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isGroup: boolean;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                }[];
                                primaryMetric?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isGroup: boolean;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                };
                                primarySingleMetric?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                };
                                randomizationUnit: string;
                                secondaryMetrics?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                }[];
                                startedAt?: number;
                                /** @description not_started | running | stopped */
                                status: string;
                                treatments?: {
                                    _id: string;
                                    allocationPercent: string;
                                    baseline: boolean;
                                    name: string;
                                    parameters: {
                                        flagKey: string;
                                        variationId: string;
                                    }[];
                                }[];
                                winningReason?: string;
                                winningTreatmentId?: string;
                            };
                            description: string;
                            draftIteration?: {
                                _id: string;
                                attributes?: string[];
                                canReshuffleTraffic: boolean;
                                createdAt: number;
                                endedAt?: number;
                                flags: {
                                    [key: string]: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        flagConfigVersion: number;
                                        notInExperimentVariationId?: string;
                                        targetingRule: string;
                                        targetingRuleDescription?: string;
                                    };
                                };
                                hypothesis: string;
                                metrics?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isGroup: boolean;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                }[];
                                primaryMetric?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isGroup: boolean;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                };
                                primarySingleMetric?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                };
                                randomizationUnit: string;
                                secondaryMetrics?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                }[];
                                startedAt?: number;
                                /** @description not_started | running | stopped */
                                status: string;
                                treatments?: {
                                    _id: string;
                                    allocationPercent: string;
                                    baseline: boolean;
                                    name: string;
                                    parameters: {
                                        flagKey: string;
                                        variationId: string;
                                    }[];
                                }[];
                                winningReason?: string;
                                winningTreatmentId?: string;
                            };
                            environmentKey: string;
                            key: string;
                            name: string;
                            previousIterations?: {
                                _id: string;
                                attributes?: string[];
                                canReshuffleTraffic: boolean;
                                createdAt: number;
                                endedAt?: number;
                                flags: {
                                    [key: string]: {
                                        _links: {
                                            [key: string]: {
                                                href: string;
                                                type: string;
                                            };
                                        };
                                        flagConfigVersion: number;
                                        notInExperimentVariationId?: string;
                                        targetingRule: string;
                                        targetingRuleDescription?: string;
                                    };
                                };
                                hypothesis: string;
                                metrics?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isGroup: boolean;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                }[];
                                primaryMetric?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isGroup: boolean;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                };
                                primarySingleMetric?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                };
                                randomizationUnit: string;
                                secondaryMetrics?: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    _versionId?: string;
                                    isNumeric?: boolean;
                                    key: string;
                                    kind: string;
                                    name: string;
                                    unitAggregationType?: string;
                                }[];
                                startedAt?: number;
                                /** @description not_started | running | stopped */
                                status: string;
                                treatments?: {
                                    _id: string;
                                    allocationPercent: string;
                                    baseline: boolean;
                                    name: string;
                                    parameters: {
                                        flagKey: string;
                                        variationId: string;
                                    }[];
                                }[];
                                winningReason?: string;
                                winningTreatmentId?: string;
                            }[];
                            /** @description List with expand=units (a Vexil extension): units of the current iteration, as its primary metric's results count them */
                            units?: number;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v2/projects/{projectKey}/environments/{environmentKey}/experiments/{experimentKey}/iterations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    environmentKey: string;
                    experimentKey: string;
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        attributes?: string[];
                        canReshuffleTraffic?: boolean;
                        covariateId?: string;
                        flags: {
                            [key: string]: {
                                /** @description the flag version read; 409 if it changed */
                                flagConfigVersion?: number;
                                notInExperimentVariationId?: string | number;
                                /** @description an EXPERIMENTATION rule id of the flag, or 'fallthrough' (a new rule is created) */
                                ruleId?: string | number;
                            };
                        };
                        hypothesis: string;
                        metrics: {
                            /** @description metric groups are not supported (false only) */
                            isGroup?: boolean;
                            key: string;
                            /** @description deprecated: use primarySingleMetricKey */
                            primary?: boolean;
                        }[];
                        primaryFunnelKey?: string;
                        primarySingleMetricKey?: string;
                        randomizationUnit?: string;
                        reallocationFrequencyMillis?: number;
                        treatments: {
                            /** @description percent of the experiment audience, a decimal string like LaunchDarkly's or a number */
                            allocationPercent: string | number;
                            baseline?: boolean;
                            name: string;
                            parameters: {
                                flagKey: string;
                                /** @description the flag variation's numeric id (a string or a number), or its key */
                                variationId: string | number;
                            }[];
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _id: string;
                            attributes?: string[];
                            canReshuffleTraffic: boolean;
                            createdAt: number;
                            endedAt?: number;
                            flags: {
                                [key: string]: {
                                    _links: {
                                        [key: string]: {
                                            href: string;
                                            type: string;
                                        };
                                    };
                                    flagConfigVersion: number;
                                    notInExperimentVariationId?: string;
                                    targetingRule: string;
                                    targetingRuleDescription?: string;
                                };
                            };
                            hypothesis: string;
                            metrics?: {
                                _links: {
                                    [key: string]: {
                                        href: string;
                                        type: string;
                                    };
                                };
                                _versionId?: string;
                                isGroup: boolean;
                                isNumeric?: boolean;
                                key: string;
                                kind: string;
                                name: string;
                                unitAggregationType?: string;
                            }[];
                            primaryMetric?: {
                                _links: {
                                    [key: string]: {
                                        href: string;
                                        type: string;
                                    };
                                };
                                _versionId?: string;
                                isGroup: boolean;
                                isNumeric?: boolean;
                                key: string;
                                kind: string;
                                name: string;
                                unitAggregationType?: string;
                            };
                            primarySingleMetric?: {
                                _links: {
                                    [key: string]: {
                                        href: string;
                                        type: string;
                                    };
                                };
                                _versionId?: string;
                                isNumeric?: boolean;
                                key: string;
                                kind: string;
                                name: string;
                                unitAggregationType?: string;
                            };
                            randomizationUnit: string;
                            secondaryMetrics?: {
                                _links: {
                                    [key: string]: {
                                        href: string;
                                        type: string;
                                    };
                                };
                                _versionId?: string;
                                isNumeric?: boolean;
                                key: string;
                                kind: string;
                                name: string;
                                unitAggregationType?: string;
                            }[];
                            startedAt?: number;
                            /** @description not_started | running | stopped */
                            status: string;
                            treatments?: {
                                _id: string;
                                allocationPercent: string;
                                baseline: boolean;
                                name: string;
                                parameters: {
                                    flagKey: string;
                                    variationId: string;
                                }[];
                            }[];
                            winningReason?: string;
                            winningTreatmentId?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/projects/{projectKey}/environments/{environmentKey}/experiments/{experimentKey}/metrics/{metricKey}/results": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    /** @description traffic: each treatment's units */
                    expand?: string;
                    iterationId?: string;
                };
                header?: never;
                path: {
                    environmentKey: string;
                    experimentKey: string;
                    metricKey: string;
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            /** @description winsorisation of the goal's per-unit values (docs/statistics.md, Capping) */
                            capping?: {
                                applied: boolean;
                                /** @description the cap applied to each unit's value in this analysis */
                                cap: number | null;
                                /** @description why no cap was applied */
                                reason: string | null;
                                /** @enum {unknown} */
                                type: "none" | "absolute" | "percentile";
                                /** @description the goal's setting: absolute cap or percentile */
                                value: number | null;
                            };
                            iterationId: string;
                            metric: {
                                _links: {
                                    [key: string]: {
                                        href: string;
                                        type: string;
                                    };
                                };
                                _versionId?: string;
                                isNumeric?: boolean;
                                key: string;
                                kind: string;
                                name: string;
                                unitAggregationType?: string;
                            };
                            metricSeen: {
                                ever: boolean;
                                timestamp?: number;
                            };
                            sampleRatioMismatch?: {
                                flagged: boolean;
                                pValue: number;
                            };
                            treatmentResults: {
                                credibleInterval?: {
                                    lower: number;
                                    upper: number;
                                };
                                mean?: number;
                                pBest?: number;
                                relativeDifferences: {
                                    fromTreatmentId: string;
                                    lower: number;
                                    upper: number;
                                }[];
                                traffic?: number;
                                treatmentId: string;
                                treatmentName: string;
                                units: number;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/projects/{projectKey}/environments/{environmentKey}/mobileKey": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    environmentKey: string;
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _id: string;
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            apiKey: string;
                            color: string;
                            confirmChanges: boolean;
                            critical: boolean;
                            defaultTrackEvents: boolean;
                            defaultTtl: number;
                            key: string;
                            mobileKey: string;
                            name: string;
                            requireComments: boolean;
                            secureMode: boolean;
                            tags: string[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            items: {
                                _id: string;
                                _links: {
                                    [key: string]: {
                                        href: string;
                                        type: string;
                                    };
                                };
                                name?: string;
                                on: boolean;
                                secret?: string;
                                sign: boolean;
                                statements: {
                                    actions?: string[];
                                    effect: "allow" | "deny";
                                    notActions?: string[];
                                    notResources?: string[];
                                    resources?: string[];
                                }[];
                                tags: string[];
                                url: string;
                            }[];
                            totalCount: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        on?: boolean;
                        secret?: string;
                        sign?: boolean;
                        statements?: {
                            actions?: string[];
                            effect: "allow" | "deny";
                            notActions?: string[];
                            notResources?: string[];
                            resources?: string[];
                        }[];
                        tags?: string[];
                        url: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _id: string;
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            name?: string;
                            on: boolean;
                            secret?: string;
                            sign: boolean;
                            statements: {
                                actions?: string[];
                                effect: "allow" | "deny";
                                notActions?: string[];
                                notResources?: string[];
                                resources?: string[];
                            }[];
                            tags: string[];
                            url: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _id: string;
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            name?: string;
                            on: boolean;
                            secret?: string;
                            sign: boolean;
                            statements: {
                                actions?: string[];
                                effect: "allow" | "deny";
                                notActions?: string[];
                                notResources?: string[];
                                resources?: string[];
                            }[];
                            tags: string[];
                            url: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        from?: string;
                        op: "add" | "remove" | "replace" | "move" | "copy" | "test";
                        path: string;
                        value?: unknown;
                    }[];
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _id: string;
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            name?: string;
                            on: boolean;
                            secret?: string;
                            sign: boolean;
                            statements: {
                                actions?: string[];
                                effect: "allow" | "deny";
                                notActions?: string[];
                                notResources?: string[];
                                resources?: string[];
                            }[];
                            tags: string[];
                            url: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v2/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Vexil extension: the webhook's delivery log, newest first. */
        get: {
            parameters: {
                query: {
                    limit: number;
                    offset: number;
                    status?: "PENDING" | "DELIVERED" | "FAILED";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            _links: {
                                [key: string]: {
                                    href: string;
                                    type: string;
                                };
                            };
                            items: {
                                _id: string;
                                attempts: number;
                                createdAt: number;
                                deliveredAt: number | null;
                                error: string | null;
                                event: {
                                    _id: string;
                                    action: string;
                                    featureKey: string;
                                    kind: string;
                                    projectKey: string;
                                    title: string;
                                };
                                lastAttemptAt: number | null;
                                nextAttemptAt: number | null;
                                responseStatus: number | null;
                                /** @enum {unknown} */
                                status: "PENDING" | "DELIVERED" | "FAILED";
                            }[];
                            totalCount: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query: {
                    /** @description part of the actor's name, any case */
                    actor?: string;
                    /** @description ISO 8601 date-time, inclusive */
                    from?: string;
                    limit: number;
                    offset: number;
                    projectKey?: string;
                    resourceId?: string;
                    resourceType?: string;
                    /** @description ISO 8601 date-time, exclusive */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                action: string;
                                actor: string;
                                after: unknown;
                                at: string;
                                before: unknown;
                                id: number;
                                projectKey: string | null;
                                resourceId: string;
                                resourceType: string;
                            }[];
                            total: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** LaunchDarkly SDK analytics events (gzip accepted; X-LaunchDarkly-Payload-ID deduplicates) */
        post: {
            parameters: {
                query?: never;
                header?: {
                    "x-launchdarkly-payload-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": unknown[];
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accepted: number;
                            duplicate: boolean;
                            ignored: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/diagnostic": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** LaunchDarkly SDK diagnostic events: accepted and not stored */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description no body */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/eval/{envId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/eval/{envId}/{context}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** LaunchDarkly client-side SDK streaming (SSE): put of every evaluation, then patch/delete (context as base64url JSON in the path) */
        get: {
            parameters: {
                query?: {
                    /** @description Payload filters: not supported (400) */
                    filter?: string;
                    /** @description Secure mode hash: ignored, as secure mode is never on in Vexil */
                    h?: string;
                    /** @description Add each evaluation's reason */
                    withReasons?: boolean;
                };
                header?: never;
                path: {
                    context: string;
                    envId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Server-Sent Events */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/bulk/{envId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** LaunchDarkly client-side SDK analytics events (as POST /bulk: exposures, conversions, counts) */
        post: {
            parameters: {
                query?: never;
                header?: {
                    "x-launchdarkly-payload-id"?: string;
                };
                path: {
                    envId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": unknown[];
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accepted: number;
                            duplicate: boolean;
                            ignored: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/diagnostic/{envId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** LaunchDarkly client-side SDK diagnostic events: accepted and not stored */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    envId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description no body */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/v1/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": ({
                        /** @description other attributes go under custom */
                        attributes?: {
                            browser?: string;
                            country?: string;
                            custom?: {
                                [key: string]: string | number | boolean;
                            };
                            deviceType?: string;
                            newVisitor?: boolean;
                            os?: string;
                        };
                        experimentId?: number | null;
                        featureKey: string;
                        flagId?: number;
                        /** @enum {string} */
                        kind: "exposure";
                        ruleId?: number;
                        /** @description epoch milliseconds; within the last year, at most a day ahead */
                        time: number;
                        variationKey: string;
                        visitId: string;
                        visitorCode: string;
                    } | {
                        /** @description other attributes go under custom */
                        attributes?: {
                            browser?: string;
                            country?: string;
                            custom?: {
                                [key: string]: string | number | boolean;
                            };
                            deviceType?: string;
                            newVisitor?: boolean;
                            os?: string;
                        };
                        /** @description goal id or key */
                        goal: number | string;
                        /** @enum {string} */
                        kind: "conversion";
                        /** @description epoch milliseconds; within the last year, at most a day ahead */
                        time: number;
                        /** @description 1 when absent */
                        value?: number | null;
                        visitId: string;
                        visitorCode: string;
                    })[] | {
                        attributes: {
                            browser?: string;
                            country?: string;
                            custom?: {
                                [key: string]: string | number | boolean;
                            };
                            deviceType?: string;
                            newVisitor?: boolean;
                            os?: string;
                        }[];
                        conversions?: {
                            attributes: number[];
                            goal: (number | string)[];
                            time: number[];
                            value: (number | null)[];
                            visit: number[];
                            visitor: string[];
                        };
                        exposures?: {
                            attributes: number[];
                            head: number[];
                            heads: {
                                experimentId?: number | null;
                                featureKey: string;
                                flagId?: number;
                                ruleId?: number;
                                variationKey: string;
                            }[];
                            time: number[];
                            visit: number[];
                            visitor: string[];
                        };
                        /** @enum {number} */
                        format: 2;
                        /** @description epoch ms that rows' times are offsets from */
                        time: number;
                        /** @description a visit id is this prefix followed by the row's visit number in base 36 */
                        visitIdPrefix: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accepted: number;
                            duplicate: boolean;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            errors?: {
                                index: number;
                                message: string;
                            }[];
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/feature-flags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    archived?: "true" | "false" | "all";
                    /** @description on (or off) in environmentKey; needs environmentKey */
                    enabled?: "true" | "false";
                    /** @description the environment `enabled` and `ruleType` look at (one of siteCode's when given) */
                    environmentKey?: string;
                    /** @description JSON filter expression(s) */
                    filter?: string;
                    /** @description comma-separated, any of HEALTHY, PERMANENT, STALE, SMELLY */
                    health?: string;
                    /** @description accepted; every field is returned */
                    optionalFields?: string;
                    page?: number;
                    perPage?: number;
                    /** @description comma-separated, any of TARGETED_DELIVERY, PROGRESSIVE_DELIVERY, EXPERIMENTATION: flags with such a rule in environmentKey (any environment without it) */
                    ruleType?: string;
                    siteCode?: string;
                    /** @description JSON [{"field","direction"}] or "field,-field" */
                    sort?: string;
                    /** @description comma-separated; any of them */
                    tags?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            archived: boolean;
                            /** @description milliseconds */
                            attributionWindow?: number;
                            bucketingKey?: {
                                /** @enum {unknown} */
                                bucketingKeyType?: "VISITOR_CODE" | "CUSTOM_DATA";
                                customDataId?: number;
                            };
                            /**
                             * @description Vexil extension
                             * @enum {unknown}
                             */
                            bucketingMode?: "VEXIL" | "LAUNCHDARKLY";
                            createdById?: number;
                            /** Format: date-time */
                            dateContentModified: string;
                            /** Format: date-time */
                            dateCreated: string;
                            /** Format: date-time */
                            dateModified: string;
                            description: string;
                            environmentConfigurations: {
                                /** Format: date-time */
                                dateModified: string;
                                defaultVariationKey: string;
                                environmentKey: string;
                                featureEnabled: boolean;
                                integrations: {
                                    deliveryRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                    experimentRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                };
                                rolloutRules: {
                                    controlVariationKey?: string;
                                    /** @description PROGRESSIVE_DELIVERY: the ramp's value now */
                                    currentExposition?: number;
                                    experimentId?: number;
                                    exposition: number;
                                    id: number;
                                    multiArmedBandit?: boolean;
                                    name: string;
                                    orderIndex: number;
                                    reallocation?: boolean;
                                    release?: {
                                        releaseFrom?: string;
                                        releaseTo?: string;
                                        timeZone?: string;
                                    };
                                    rollbackConditions: {
                                        /** @enum {unknown} */
                                        comparisonOperator: "GREATER_THAN" | "LESS_THAN";
                                        /** @enum {unknown} */
                                        criteria: "UPLIFT" | "DOWNLIFT" | "CONVERSION_RATE";
                                        goalId: number;
                                        id: number;
                                        matchValue: number;
                                        recipients: string[];
                                        /** @enum {unknown} */
                                        target: "RULE" | "ENVIRONMENT";
                                        visitors: number;
                                    }[];
                                    rolloutConfiguration?: {
                                        frequency?: {
                                            /** @enum {unknown} */
                                            unit: "Nanos" | "Micros" | "Millis" | "Seconds" | "Minutes" | "Hours" | "HalfDays" | "Days" | "Weeks" | "Months" | "Years" | "Decades" | "Centuries" | "Millennia" | "Eras" | "Forever";
                                            value: number;
                                        };
                                        increaseBy?: number;
                                        percentageRange?: {
                                            start: number;
                                            stop: number;
                                        };
                                        releaseDateTime?: string;
                                        steps?: {
                                            dateTime: string;
                                            exposure: number;
                                        }[];
                                        /** @enum {unknown} */
                                        type: "PROGRESSIVE_EXPOSURE" | "CUSTOM_RAMP_UP";
                                    };
                                    segmentId?: number;
                                    /** @enum {unknown} */
                                    state: "ACTIVE" | "PAUSED";
                                    /** @enum {unknown} */
                                    status: "ACTIVE" | "PAUSED" | "PLANNED" | "OUTDATED";
                                    /** @enum {unknown} */
                                    trafficAllocationMethod?: "MANUAL" | "MULTI_ARMED_BANDIT" | "CONTEXTUAL_BANDIT";
                                    trafficAllocations?: {
                                        exposition: number;
                                        variationId: number;
                                        variationKey: string;
                                    }[];
                                    /** @enum {unknown} */
                                    type: "TARGETED_DELIVERY" | "PROGRESSIVE_DELIVERY" | "EXPERIMENTATION";
                                    variationKey?: string;
                                }[];
                            }[];
                            featureKey: string;
                            /** @enum {unknown} */
                            health: "HEALTHY" | "PERMANENT" | "STALE" | "SMELLY";
                            id: number;
                            name: string;
                            primaryGoalId?: number;
                            secondaryGoalIds: number[];
                            siteCode: string;
                            tags: string[];
                            variables: {
                                allowedValues?: string[];
                                key: string;
                                /** @enum {unknown} */
                                type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                value: string;
                            }[];
                            variations: {
                                id: number;
                                key: string;
                                name: string;
                                variables: {
                                    key: string;
                                    /** @enum {unknown} */
                                    type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                    value: string;
                                }[];
                            }[];
                            /** @description increments on every change; the ETag */
                            version: number;
                        }[];
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        archived?: boolean;
                        /** @description milliseconds */
                        attributionWindow?: number;
                        bucketingKey?: {
                            /** @enum {unknown} */
                            bucketingKeyType?: "VISITOR_CODE" | "CUSTOM_DATA";
                            customDataId?: number;
                        };
                        /**
                         * @description Vexil extension: how rules draw visitors. VEXIL (default): MurmurHash3; LAUNCHDARKLY: LaunchDarkly's SHA-1 rollouts, so LaunchDarkly SDKs serve percentage rollouts and experiments (docs/launchdarkly-sdks.md). Changing it reshuffles visitors.
                         * @enum {unknown}
                         */
                        bucketingMode?: "VEXIL" | "LAUNCHDARKLY";
                        createdById?: number;
                        dateContentModified?: string;
                        dateCreated?: string;
                        dateModified?: string;
                        description?: string;
                        environmentConfigurations?: {
                            /** @description read-only */
                            dateModified?: string;
                            defaultVariationKey?: string;
                            environmentKey: string;
                            featureEnabled?: boolean;
                            integrations?: {
                                deliveryRules?: ({
                                    customAnalytics?: string[];
                                    customVariable?: number;
                                    integrationName?: string;
                                } & {
                                    [key: string]: unknown;
                                })[];
                                experimentRules?: ({
                                    customAnalytics?: string[];
                                    customVariable?: number;
                                    integrationName?: string;
                                } & {
                                    [key: string]: unknown;
                                })[];
                            };
                            rolloutRules?: {
                                controlVariationKey?: string;
                                currentExposition?: number;
                                experimentId?: number;
                                exposition?: number;
                                /** @description kept when it names a rule of this flag and environment */
                                id?: number;
                                multiArmedBandit?: boolean;
                                name?: string;
                                orderIndex?: number;
                                reallocation?: boolean;
                                release?: {
                                    /** @description ISO 8601 date-time */
                                    releaseFrom?: string;
                                    /** @description ISO 8601 date-time */
                                    releaseTo?: string;
                                    /** @description IANA time zone */
                                    timeZone?: string;
                                };
                                rollbackConditions?: {
                                    /** @enum {unknown} */
                                    comparisonOperator?: "GREATER_THAN" | "LESS_THAN";
                                    /** @enum {unknown} */
                                    criteria?: "UPLIFT" | "DOWNLIFT" | "CONVERSION_RATE";
                                    goalId: number;
                                    /** @description read-only; kept when it names a condition of the rule */
                                    id?: number;
                                    /** @enum {unknown} */
                                    matchType?: "GREATER_THAN" | "LESS_THAN";
                                    matchValue: number;
                                    recipients?: string[];
                                    /** @enum {unknown} */
                                    target?: "RULE" | "ENVIRONMENT";
                                    visitors?: number;
                                }[];
                                rolloutConfiguration?: {
                                    frequency?: {
                                        /** @enum {unknown} */
                                        unit: "Nanos" | "Micros" | "Millis" | "Seconds" | "Minutes" | "Hours" | "HalfDays" | "Days" | "Weeks" | "Months" | "Years" | "Decades" | "Centuries" | "Millennia" | "Eras" | "Forever";
                                        value: number;
                                    };
                                    increaseBy?: number;
                                    percentageRange?: {
                                        start: number;
                                        stop: number;
                                    };
                                    /** @description ISO 8601 date-time */
                                    releaseDateTime?: string;
                                    steps?: {
                                        /** @description ISO 8601 date-time */
                                        dateTime: string;
                                        exposure: number;
                                    }[];
                                    /** @enum {unknown} */
                                    type: "PROGRESSIVE_EXPOSURE" | "CUSTOM_RAMP_UP";
                                };
                                segmentId?: number;
                                /** @enum {unknown} */
                                state?: "ACTIVE" | "PAUSED";
                                /** @enum {unknown} */
                                status?: "ACTIVE" | "PAUSED" | "PLANNED" | "OUTDATED";
                                /** @enum {unknown} */
                                trafficAllocationMethod?: "MANUAL" | "MULTI_ARMED_BANDIT" | "CONTEXTUAL_BANDIT";
                                trafficAllocations?: {
                                    exposition: number;
                                    variationId?: number;
                                    variationKey?: string;
                                }[];
                                /** @enum {unknown} */
                                type: "TARGETED_DELIVERY" | "PROGRESSIVE_DELIVERY" | "EXPERIMENTATION";
                                variationKey?: string;
                            }[];
                        }[];
                        /** @description 1-255 of [A-Za-z0-9._-] */
                        featureKey: string;
                        /**
                         * @description HEALTHY or PERMANENT are settable; STALE/SMELLY are computed
                         * @enum {unknown}
                         */
                        health?: "HEALTHY" | "PERMANENT" | "STALE" | "SMELLY";
                        id?: number;
                        isArchived?: boolean;
                        name: string;
                        primaryGoalId?: number;
                        secondaryGoalIds?: number[];
                        siteCode: string;
                        tags?: string[];
                        teamId?: number;
                        variables?: {
                            allowedValues?: string[];
                            key: string;
                            /** @enum {unknown} */
                            type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                            /** @description Encoded as a string, decoded by its type */
                            value: string;
                        }[];
                        variations?: {
                            /** @description read-only */
                            id?: number;
                            key: string;
                            name?: string;
                            variables?: {
                                key: string;
                                /** @enum {unknown} */
                                type?: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                value: string;
                            }[];
                        }[];
                        version?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            archived: boolean;
                            /** @description milliseconds */
                            attributionWindow?: number;
                            bucketingKey?: {
                                /** @enum {unknown} */
                                bucketingKeyType?: "VISITOR_CODE" | "CUSTOM_DATA";
                                customDataId?: number;
                            };
                            /**
                             * @description Vexil extension
                             * @enum {unknown}
                             */
                            bucketingMode?: "VEXIL" | "LAUNCHDARKLY";
                            createdById?: number;
                            /** Format: date-time */
                            dateContentModified: string;
                            /** Format: date-time */
                            dateCreated: string;
                            /** Format: date-time */
                            dateModified: string;
                            description: string;
                            environmentConfigurations: {
                                /** Format: date-time */
                                dateModified: string;
                                defaultVariationKey: string;
                                environmentKey: string;
                                featureEnabled: boolean;
                                integrations: {
                                    deliveryRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                    experimentRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                };
                                rolloutRules: {
                                    controlVariationKey?: string;
                                    /** @description PROGRESSIVE_DELIVERY: the ramp's value now */
                                    currentExposition?: number;
                                    experimentId?: number;
                                    exposition: number;
                                    id: number;
                                    multiArmedBandit?: boolean;
                                    name: string;
                                    orderIndex: number;
                                    reallocation?: boolean;
                                    release?: {
                                        releaseFrom?: string;
                                        releaseTo?: string;
                                        timeZone?: string;
                                    };
                                    rollbackConditions: {
                                        /** @enum {unknown} */
                                        comparisonOperator: "GREATER_THAN" | "LESS_THAN";
                                        /** @enum {unknown} */
                                        criteria: "UPLIFT" | "DOWNLIFT" | "CONVERSION_RATE";
                                        goalId: number;
                                        id: number;
                                        matchValue: number;
                                        recipients: string[];
                                        /** @enum {unknown} */
                                        target: "RULE" | "ENVIRONMENT";
                                        visitors: number;
                                    }[];
                                    rolloutConfiguration?: {
                                        frequency?: {
                                            /** @enum {unknown} */
                                            unit: "Nanos" | "Micros" | "Millis" | "Seconds" | "Minutes" | "Hours" | "HalfDays" | "Days" | "Weeks" | "Months" | "Years" | "Decades" | "Centuries" | "Millennia" | "Eras" | "Forever";
                                            value: number;
                                        };
                                        increaseBy?: number;
                                        percentageRange?: {
                                            start: number;
                                            stop: number;
                                        };
                                        releaseDateTime?: string;
                                        steps?: {
                                            dateTime: string;
                                            exposure: number;
                                        }[];
                                        /** @enum {unknown} */
                                        type: "PROGRESSIVE_EXPOSURE" | "CUSTOM_RAMP_UP";
                                    };
                                    segmentId?: number;
                                    /** @enum {unknown} */
                                    state: "ACTIVE" | "PAUSED";
                                    /** @enum {unknown} */
                                    status: "ACTIVE" | "PAUSED" | "PLANNED" | "OUTDATED";
                                    /** @enum {unknown} */
                                    trafficAllocationMethod?: "MANUAL" | "MULTI_ARMED_BANDIT" | "CONTEXTUAL_BANDIT";
                                    trafficAllocations?: {
                                        exposition: number;
                                        variationId: number;
                                        variationKey: string;
                                    }[];
                                    /** @enum {unknown} */
                                    type: "TARGETED_DELIVERY" | "PROGRESSIVE_DELIVERY" | "EXPERIMENTATION";
                                    variationKey?: string;
                                }[];
                            }[];
                            featureKey: string;
                            /** @enum {unknown} */
                            health: "HEALTHY" | "PERMANENT" | "STALE" | "SMELLY";
                            id: number;
                            name: string;
                            primaryGoalId?: number;
                            secondaryGoalIds: number[];
                            siteCode: string;
                            tags: string[];
                            variables: {
                                allowedValues?: string[];
                                key: string;
                                /** @enum {unknown} */
                                type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                value: string;
                            }[];
                            variations: {
                                id: number;
                                key: string;
                                name: string;
                                variables: {
                                    key: string;
                                    /** @enum {unknown} */
                                    type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                    value: string;
                                }[];
                            }[];
                            /** @description increments on every change; the ETag */
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/feature-flags/{featureFlagId}/results": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    featureFlagId: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        allVariationsData?: boolean;
                        bayesian?: boolean;
                        breakdown?: {
                            /** @description INTERVAL only: each bucket counts every unit first exposed up to the bucket's end */
                            cumulative?: boolean;
                            /**
                             * @description INTERVAL only; DAY by default
                             * @enum {unknown}
                             */
                            interval?: "HOUR" | "DAY" | "WEEK" | "MONTH";
                            /** @description CUSTOM_DATUM only: the custom attribute */
                            key?: string;
                            /** @enum {unknown} */
                            type: "BROWSER" | "DEVICE_TYPE" | "OS" | "COUNTRY" | "NEW_VISITOR" | "INTERVAL" | "CUSTOM_DATUM";
                        } | null;
                        callbackUrl?: string | null;
                        /** @enum {unknown} */
                        conversionType: "ALL_CONVERSION" | "CONVERTED_VISITS";
                        dateIntervals: {
                            /** @description ISO-8601 date-time, exclusive */
                            end: string;
                            /** @description ISO-8601 date-time, inclusive */
                            start: string;
                        }[];
                        enabledMultipleTesting?: boolean;
                        environmentKey?: string;
                        filters?: {
                            /** @description true (default): keep these values; false: drop them */
                            include?: boolean;
                            /** @description CUSTOM_DATUM only: the custom attribute */
                            key?: string;
                            /** @enum {unknown} */
                            type: "BROWSER" | "DEVICE_TYPE" | "OS" | "COUNTRY" | "NEW_VISITOR" | "CUSTOM_DATUM";
                            values: (string | number | boolean)[];
                        }[] | null;
                        /** @description goals (among the selected ones) to also analyze with CUPED */
                        goalIdsCuped?: number[] | null;
                        /** @description null or absent: every goal of the flag; []: none */
                        goalsIds?: number[] | null;
                        referenceVariationId?: string | number | (never | null);
                        ruleId?: number;
                        sequentialTesting?: boolean;
                        varianceReduction?: {
                            /** @description REGRESSION only: custom data keys of the first exposure read as numbers (CUPAC: e.g. a predicted value); a unit without a numeric value counts 0 */
                            covariateAttributes?: string[];
                            /** @description REGRESSION only: goals of the project whose per-unit values in the 14 days before the first exposure are covariates */
                            covariateGoalIds?: number[];
                            /** @description goals (among the selected ones, not in goalIdsCuped) to analyze with this adjustment */
                            goalIds: number[];
                            /** @enum {unknown} */
                            method: "REGRESSION" | "POST_STRATIFICATION";
                            /** @description POST_STRATIFICATION only: the visitor attribute */
                            stratification?: {
                                /** @description CUSTOM_DATUM only: the custom attribute */
                                key?: string;
                                /** @enum {unknown} */
                                type: "BROWSER" | "DEVICE_TYPE" | "OS" | "COUNTRY" | "NEW_VISITOR" | "CUSTOM_DATUM";
                            };
                        } | null;
                        /** @description true: unit = unique visitor; false: visit */
                        visitorData?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dataCode: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/feature-flags/{siteCode}/{featureKey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    featureKey: string;
                    siteCode: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            archived: boolean;
                            /** @description milliseconds */
                            attributionWindow?: number;
                            bucketingKey?: {
                                /** @enum {unknown} */
                                bucketingKeyType?: "VISITOR_CODE" | "CUSTOM_DATA";
                                customDataId?: number;
                            };
                            /**
                             * @description Vexil extension
                             * @enum {unknown}
                             */
                            bucketingMode?: "VEXIL" | "LAUNCHDARKLY";
                            createdById?: number;
                            /** Format: date-time */
                            dateContentModified: string;
                            /** Format: date-time */
                            dateCreated: string;
                            /** Format: date-time */
                            dateModified: string;
                            description: string;
                            environmentConfigurations: {
                                /** Format: date-time */
                                dateModified: string;
                                defaultVariationKey: string;
                                environmentKey: string;
                                featureEnabled: boolean;
                                integrations: {
                                    deliveryRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                    experimentRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                };
                                rolloutRules: {
                                    controlVariationKey?: string;
                                    /** @description PROGRESSIVE_DELIVERY: the ramp's value now */
                                    currentExposition?: number;
                                    experimentId?: number;
                                    exposition: number;
                                    id: number;
                                    multiArmedBandit?: boolean;
                                    name: string;
                                    orderIndex: number;
                                    reallocation?: boolean;
                                    release?: {
                                        releaseFrom?: string;
                                        releaseTo?: string;
                                        timeZone?: string;
                                    };
                                    rollbackConditions: {
                                        /** @enum {unknown} */
                                        comparisonOperator: "GREATER_THAN" | "LESS_THAN";
                                        /** @enum {unknown} */
                                        criteria: "UPLIFT" | "DOWNLIFT" | "CONVERSION_RATE";
                                        goalId: number;
                                        id: number;
                                        matchValue: number;
                                        recipients: string[];
                                        /** @enum {unknown} */
                                        target: "RULE" | "ENVIRONMENT";
                                        visitors: number;
                                    }[];
                                    rolloutConfiguration?: {
                                        frequency?: {
                                            /** @enum {unknown} */
                                            unit: "Nanos" | "Micros" | "Millis" | "Seconds" | "Minutes" | "Hours" | "HalfDays" | "Days" | "Weeks" | "Months" | "Years" | "Decades" | "Centuries" | "Millennia" | "Eras" | "Forever";
                                            value: number;
                                        };
                                        increaseBy?: number;
                                        percentageRange?: {
                                            start: number;
                                            stop: number;
                                        };
                                        releaseDateTime?: string;
                                        steps?: {
                                            dateTime: string;
                                            exposure: number;
                                        }[];
                                        /** @enum {unknown} */
                                        type: "PROGRESSIVE_EXPOSURE" | "CUSTOM_RAMP_UP";
                                    };
                                    segmentId?: number;
                                    /** @enum {unknown} */
                                    state: "ACTIVE" | "PAUSED";
                                    /** @enum {unknown} */
                                    status: "ACTIVE" | "PAUSED" | "PLANNED" | "OUTDATED";
                                    /** @enum {unknown} */
                                    trafficAllocationMethod?: "MANUAL" | "MULTI_ARMED_BANDIT" | "CONTEXTUAL_BANDIT";
                                    trafficAllocations?: {
                                        exposition: number;
                                        variationId: number;
                                        variationKey: string;
                                    }[];
                                    /** @enum {unknown} */
                                    type: "TARGETED_DELIVERY" | "PROGRESSIVE_DELIVERY" | "EXPERIMENTATION";
                                    variationKey?: string;
                                }[];
                            }[];
                            featureKey: string;
                            /** @enum {unknown} */
                            health: "HEALTHY" | "PERMANENT" | "STALE" | "SMELLY";
                            id: number;
                            name: string;
                            primaryGoalId?: number;
                            secondaryGoalIds: number[];
                            siteCode: string;
                            tags: string[];
                            variables: {
                                allowedValues?: string[];
                                key: string;
                                /** @enum {unknown} */
                                type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                value: string;
                            }[];
                            variations: {
                                id: number;
                                key: string;
                                name: string;
                                variables: {
                                    key: string;
                                    /** @enum {unknown} */
                                    type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                    value: string;
                                }[];
                            }[];
                            /** @description increments on every change; the ETag */
                            version: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    featureKey: string;
                    siteCode: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    featureKey: string;
                    siteCode: string;
                };
                cookie?: never;
            };
            /** @description JSON Merge Patch (RFC 7396) of a feature flag */
            requestBody: {
                content: {
                    "application/json": {
                        archived?: boolean | null;
                        /** @description milliseconds */
                        attributionWindow?: number | null;
                        bucketingKey?: {
                            /** @enum {unknown} */
                            bucketingKeyType?: "VISITOR_CODE" | "CUSTOM_DATA" | null;
                            customDataId?: number | null;
                        } | null;
                        /**
                         * @description Vexil extension: how rules draw visitors. VEXIL (default): MurmurHash3; LAUNCHDARKLY: LaunchDarkly's SHA-1 rollouts, so LaunchDarkly SDKs serve percentage rollouts and experiments (docs/launchdarkly-sdks.md). Changing it reshuffles visitors.
                         * @enum {unknown}
                         */
                        bucketingMode?: "VEXIL" | "LAUNCHDARKLY" | null;
                        createdById?: number | null;
                        dateContentModified?: string | null;
                        dateCreated?: string | null;
                        dateModified?: string | null;
                        description?: string | null;
                        environmentConfigurations?: {
                            /** @description read-only */
                            dateModified?: string;
                            defaultVariationKey?: string;
                            environmentKey: string;
                            featureEnabled?: boolean;
                            integrations?: {
                                deliveryRules?: ({
                                    customAnalytics?: string[];
                                    customVariable?: number;
                                    integrationName?: string;
                                } & {
                                    [key: string]: unknown;
                                })[];
                                experimentRules?: ({
                                    customAnalytics?: string[];
                                    customVariable?: number;
                                    integrationName?: string;
                                } & {
                                    [key: string]: unknown;
                                })[];
                            };
                            rolloutRules?: {
                                controlVariationKey?: string;
                                currentExposition?: number;
                                experimentId?: number;
                                exposition?: number;
                                /** @description kept when it names a rule of this flag and environment */
                                id?: number;
                                multiArmedBandit?: boolean;
                                name?: string;
                                orderIndex?: number;
                                reallocation?: boolean;
                                release?: {
                                    /** @description ISO 8601 date-time */
                                    releaseFrom?: string;
                                    /** @description ISO 8601 date-time */
                                    releaseTo?: string;
                                    /** @description IANA time zone */
                                    timeZone?: string;
                                };
                                rollbackConditions?: {
                                    /** @enum {unknown} */
                                    comparisonOperator?: "GREATER_THAN" | "LESS_THAN";
                                    /** @enum {unknown} */
                                    criteria?: "UPLIFT" | "DOWNLIFT" | "CONVERSION_RATE";
                                    goalId: number;
                                    /** @description read-only; kept when it names a condition of the rule */
                                    id?: number;
                                    /** @enum {unknown} */
                                    matchType?: "GREATER_THAN" | "LESS_THAN";
                                    matchValue: number;
                                    recipients?: string[];
                                    /** @enum {unknown} */
                                    target?: "RULE" | "ENVIRONMENT";
                                    visitors?: number;
                                }[];
                                rolloutConfiguration?: {
                                    frequency?: {
                                        /** @enum {unknown} */
                                        unit: "Nanos" | "Micros" | "Millis" | "Seconds" | "Minutes" | "Hours" | "HalfDays" | "Days" | "Weeks" | "Months" | "Years" | "Decades" | "Centuries" | "Millennia" | "Eras" | "Forever";
                                        value: number;
                                    };
                                    increaseBy?: number;
                                    percentageRange?: {
                                        start: number;
                                        stop: number;
                                    };
                                    /** @description ISO 8601 date-time */
                                    releaseDateTime?: string;
                                    steps?: {
                                        /** @description ISO 8601 date-time */
                                        dateTime: string;
                                        exposure: number;
                                    }[];
                                    /** @enum {unknown} */
                                    type: "PROGRESSIVE_EXPOSURE" | "CUSTOM_RAMP_UP";
                                };
                                segmentId?: number;
                                /** @enum {unknown} */
                                state?: "ACTIVE" | "PAUSED";
                                /** @enum {unknown} */
                                status?: "ACTIVE" | "PAUSED" | "PLANNED" | "OUTDATED";
                                /** @enum {unknown} */
                                trafficAllocationMethod?: "MANUAL" | "MULTI_ARMED_BANDIT" | "CONTEXTUAL_BANDIT";
                                trafficAllocations?: {
                                    exposition: number;
                                    variationId?: number;
                                    variationKey?: string;
                                }[];
                                /** @enum {unknown} */
                                type: "TARGETED_DELIVERY" | "PROGRESSIVE_DELIVERY" | "EXPERIMENTATION";
                                variationKey?: string;
                            }[];
                        }[] | null;
                        /** @description 1-255 of [A-Za-z0-9._-] */
                        featureKey?: string | null;
                        /**
                         * @description HEALTHY or PERMANENT are settable; STALE/SMELLY are computed
                         * @enum {unknown}
                         */
                        health?: "HEALTHY" | "PERMANENT" | "STALE" | "SMELLY" | null;
                        id?: number | null;
                        isArchived?: boolean | null;
                        name?: string | null;
                        primaryGoalId?: number | null;
                        secondaryGoalIds?: number[] | null;
                        siteCode?: string | null;
                        tags?: string[] | null;
                        teamId?: number | null;
                        variables?: {
                            allowedValues?: string[];
                            key: string;
                            /** @enum {unknown} */
                            type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                            /** @description Encoded as a string, decoded by its type */
                            value: string;
                        }[] | null;
                        variations?: {
                            /** @description read-only */
                            id?: number;
                            key: string;
                            name?: string;
                            variables?: {
                                key: string;
                                /** @enum {unknown} */
                                type?: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                value: string;
                            }[];
                        }[] | null;
                        version?: number | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            archived: boolean;
                            /** @description milliseconds */
                            attributionWindow?: number;
                            bucketingKey?: {
                                /** @enum {unknown} */
                                bucketingKeyType?: "VISITOR_CODE" | "CUSTOM_DATA";
                                customDataId?: number;
                            };
                            /**
                             * @description Vexil extension
                             * @enum {unknown}
                             */
                            bucketingMode?: "VEXIL" | "LAUNCHDARKLY";
                            createdById?: number;
                            /** Format: date-time */
                            dateContentModified: string;
                            /** Format: date-time */
                            dateCreated: string;
                            /** Format: date-time */
                            dateModified: string;
                            description: string;
                            environmentConfigurations: {
                                /** Format: date-time */
                                dateModified: string;
                                defaultVariationKey: string;
                                environmentKey: string;
                                featureEnabled: boolean;
                                integrations: {
                                    deliveryRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                    experimentRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                };
                                rolloutRules: {
                                    controlVariationKey?: string;
                                    /** @description PROGRESSIVE_DELIVERY: the ramp's value now */
                                    currentExposition?: number;
                                    experimentId?: number;
                                    exposition: number;
                                    id: number;
                                    multiArmedBandit?: boolean;
                                    name: string;
                                    orderIndex: number;
                                    reallocation?: boolean;
                                    release?: {
                                        releaseFrom?: string;
                                        releaseTo?: string;
                                        timeZone?: string;
                                    };
                                    rollbackConditions: {
                                        /** @enum {unknown} */
                                        comparisonOperator: "GREATER_THAN" | "LESS_THAN";
                                        /** @enum {unknown} */
                                        criteria: "UPLIFT" | "DOWNLIFT" | "CONVERSION_RATE";
                                        goalId: number;
                                        id: number;
                                        matchValue: number;
                                        recipients: string[];
                                        /** @enum {unknown} */
                                        target: "RULE" | "ENVIRONMENT";
                                        visitors: number;
                                    }[];
                                    rolloutConfiguration?: {
                                        frequency?: {
                                            /** @enum {unknown} */
                                            unit: "Nanos" | "Micros" | "Millis" | "Seconds" | "Minutes" | "Hours" | "HalfDays" | "Days" | "Weeks" | "Months" | "Years" | "Decades" | "Centuries" | "Millennia" | "Eras" | "Forever";
                                            value: number;
                                        };
                                        increaseBy?: number;
                                        percentageRange?: {
                                            start: number;
                                            stop: number;
                                        };
                                        releaseDateTime?: string;
                                        steps?: {
                                            dateTime: string;
                                            exposure: number;
                                        }[];
                                        /** @enum {unknown} */
                                        type: "PROGRESSIVE_EXPOSURE" | "CUSTOM_RAMP_UP";
                                    };
                                    segmentId?: number;
                                    /** @enum {unknown} */
                                    state: "ACTIVE" | "PAUSED";
                                    /** @enum {unknown} */
                                    status: "ACTIVE" | "PAUSED" | "PLANNED" | "OUTDATED";
                                    /** @enum {unknown} */
                                    trafficAllocationMethod?: "MANUAL" | "MULTI_ARMED_BANDIT" | "CONTEXTUAL_BANDIT";
                                    trafficAllocations?: {
                                        exposition: number;
                                        variationId: number;
                                        variationKey: string;
                                    }[];
                                    /** @enum {unknown} */
                                    type: "TARGETED_DELIVERY" | "PROGRESSIVE_DELIVERY" | "EXPERIMENTATION";
                                    variationKey?: string;
                                }[];
                            }[];
                            featureKey: string;
                            /** @enum {unknown} */
                            health: "HEALTHY" | "PERMANENT" | "STALE" | "SMELLY";
                            id: number;
                            name: string;
                            primaryGoalId?: number;
                            secondaryGoalIds: number[];
                            siteCode: string;
                            tags: string[];
                            variables: {
                                allowedValues?: string[];
                                key: string;
                                /** @enum {unknown} */
                                type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                value: string;
                            }[];
                            variations: {
                                id: number;
                                key: string;
                                name: string;
                                variables: {
                                    key: string;
                                    /** @enum {unknown} */
                                    type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                    value: string;
                                }[];
                            }[];
                            /** @description increments on every change; the ETag */
                            version: number;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/feature-flags/{siteCode}/{featureKey}/{environmentKey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    environmentKey: string;
                    featureKey: string;
                    siteCode: string;
                };
                cookie?: never;
            };
            /** @description JSON Merge Patch of one environment configuration (and, as Kameleoon allows, flag fields) */
            requestBody: {
                content: {
                    "application/json": {
                        archived?: boolean | null;
                        /** @description milliseconds */
                        attributionWindow?: number | null;
                        bucketingKey?: {
                            /** @enum {unknown} */
                            bucketingKeyType?: "VISITOR_CODE" | "CUSTOM_DATA" | null;
                            customDataId?: number | null;
                        } | null;
                        /**
                         * @description Vexil extension: how rules draw visitors. VEXIL (default): MurmurHash3; LAUNCHDARKLY: LaunchDarkly's SHA-1 rollouts, so LaunchDarkly SDKs serve percentage rollouts and experiments (docs/launchdarkly-sdks.md). Changing it reshuffles visitors.
                         * @enum {unknown}
                         */
                        bucketingMode?: "VEXIL" | "LAUNCHDARKLY" | null;
                        createdById?: number | null;
                        dateContentModified?: string | null;
                        dateCreated?: string | null;
                        dateModified?: string | null;
                        defaultVariationKey?: string | null;
                        description?: string | null;
                        environmentKey?: string | null;
                        featureEnabled?: boolean | null;
                        /** @description 1-255 of [A-Za-z0-9._-] */
                        featureKey?: string | null;
                        /**
                         * @description HEALTHY or PERMANENT are settable; STALE/SMELLY are computed
                         * @enum {unknown}
                         */
                        health?: "HEALTHY" | "PERMANENT" | "STALE" | "SMELLY" | null;
                        id?: number | null;
                        integrations?: {
                            deliveryRules?: ({
                                customAnalytics?: string[];
                                customVariable?: number;
                                integrationName?: string;
                            } & {
                                [key: string]: unknown;
                            })[] | null;
                            experimentRules?: ({
                                customAnalytics?: string[];
                                customVariable?: number;
                                integrationName?: string;
                            } & {
                                [key: string]: unknown;
                            })[] | null;
                        } | null;
                        isArchived?: boolean | null;
                        name?: string | null;
                        primaryGoalId?: number | null;
                        rolloutRules?: {
                            controlVariationKey?: string;
                            currentExposition?: number;
                            experimentId?: number;
                            exposition?: number;
                            /** @description kept when it names a rule of this flag and environment */
                            id?: number;
                            multiArmedBandit?: boolean;
                            name?: string;
                            orderIndex?: number;
                            reallocation?: boolean;
                            release?: {
                                /** @description ISO 8601 date-time */
                                releaseFrom?: string;
                                /** @description ISO 8601 date-time */
                                releaseTo?: string;
                                /** @description IANA time zone */
                                timeZone?: string;
                            };
                            rollbackConditions?: {
                                /** @enum {unknown} */
                                comparisonOperator?: "GREATER_THAN" | "LESS_THAN";
                                /** @enum {unknown} */
                                criteria?: "UPLIFT" | "DOWNLIFT" | "CONVERSION_RATE";
                                goalId: number;
                                /** @description read-only; kept when it names a condition of the rule */
                                id?: number;
                                /** @enum {unknown} */
                                matchType?: "GREATER_THAN" | "LESS_THAN";
                                matchValue: number;
                                recipients?: string[];
                                /** @enum {unknown} */
                                target?: "RULE" | "ENVIRONMENT";
                                visitors?: number;
                            }[];
                            rolloutConfiguration?: {
                                frequency?: {
                                    /** @enum {unknown} */
                                    unit: "Nanos" | "Micros" | "Millis" | "Seconds" | "Minutes" | "Hours" | "HalfDays" | "Days" | "Weeks" | "Months" | "Years" | "Decades" | "Centuries" | "Millennia" | "Eras" | "Forever";
                                    value: number;
                                };
                                increaseBy?: number;
                                percentageRange?: {
                                    start: number;
                                    stop: number;
                                };
                                /** @description ISO 8601 date-time */
                                releaseDateTime?: string;
                                steps?: {
                                    /** @description ISO 8601 date-time */
                                    dateTime: string;
                                    exposure: number;
                                }[];
                                /** @enum {unknown} */
                                type: "PROGRESSIVE_EXPOSURE" | "CUSTOM_RAMP_UP";
                            };
                            segmentId?: number;
                            /** @enum {unknown} */
                            state?: "ACTIVE" | "PAUSED";
                            /** @enum {unknown} */
                            status?: "ACTIVE" | "PAUSED" | "PLANNED" | "OUTDATED";
                            /** @enum {unknown} */
                            trafficAllocationMethod?: "MANUAL" | "MULTI_ARMED_BANDIT" | "CONTEXTUAL_BANDIT";
                            trafficAllocations?: {
                                exposition: number;
                                variationId?: number;
                                variationKey?: string;
                            }[];
                            /** @enum {unknown} */
                            type: "TARGETED_DELIVERY" | "PROGRESSIVE_DELIVERY" | "EXPERIMENTATION";
                            variationKey?: string;
                        }[] | null;
                        secondaryGoalIds?: number[] | null;
                        siteCode?: string | null;
                        tags?: string[] | null;
                        teamId?: number | null;
                        variables?: {
                            allowedValues?: string[];
                            key: string;
                            /** @enum {unknown} */
                            type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                            /** @description Encoded as a string, decoded by its type */
                            value: string;
                        }[] | null;
                        variations?: {
                            /** @description read-only */
                            id?: number;
                            key: string;
                            name?: string;
                            variables?: {
                                key: string;
                                /** @enum {unknown} */
                                type?: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                value: string;
                            }[];
                        }[] | null;
                        version?: number | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            archived: boolean;
                            /** @description milliseconds */
                            attributionWindow?: number;
                            bucketingKey?: {
                                /** @enum {unknown} */
                                bucketingKeyType?: "VISITOR_CODE" | "CUSTOM_DATA";
                                customDataId?: number;
                            };
                            /**
                             * @description Vexil extension
                             * @enum {unknown}
                             */
                            bucketingMode?: "VEXIL" | "LAUNCHDARKLY";
                            createdById?: number;
                            /** Format: date-time */
                            dateContentModified: string;
                            /** Format: date-time */
                            dateCreated: string;
                            /** Format: date-time */
                            dateModified: string;
                            description: string;
                            environmentConfigurations: {
                                /** Format: date-time */
                                dateModified: string;
                                defaultVariationKey: string;
                                environmentKey: string;
                                featureEnabled: boolean;
                                integrations: {
                                    deliveryRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                    experimentRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                };
                                rolloutRules: {
                                    controlVariationKey?: string;
                                    /** @description PROGRESSIVE_DELIVERY: the ramp's value now */
                                    currentExposition?: number;
                                    experimentId?: number;
                                    exposition: number;
                                    id: number;
                                    multiArmedBandit?: boolean;
                                    name: string;
                                    orderIndex: number;
                                    reallocation?: boolean;
                                    release?: {
                                        releaseFrom?: string;
                                        releaseTo?: string;
                                        timeZone?: string;
                                    };
                                    rollbackConditions: {
                                        /** @enum {unknown} */
                                        comparisonOperator: "GREATER_THAN" | "LESS_THAN";
                                        /** @enum {unknown} */
                                        criteria: "UPLIFT" | "DOWNLIFT" | "CONVERSION_RATE";
                                        goalId: number;
                                        id: number;
                                        matchValue: number;
                                        recipients: string[];
                                        /** @enum {unknown} */
                                        target: "RULE" | "ENVIRONMENT";
                                        visitors: number;
                                    }[];
                                    rolloutConfiguration?: {
                                        frequency?: {
                                            /** @enum {unknown} */
                                            unit: "Nanos" | "Micros" | "Millis" | "Seconds" | "Minutes" | "Hours" | "HalfDays" | "Days" | "Weeks" | "Months" | "Years" | "Decades" | "Centuries" | "Millennia" | "Eras" | "Forever";
                                            value: number;
                                        };
                                        increaseBy?: number;
                                        percentageRange?: {
                                            start: number;
                                            stop: number;
                                        };
                                        releaseDateTime?: string;
                                        steps?: {
                                            dateTime: string;
                                            exposure: number;
                                        }[];
                                        /** @enum {unknown} */
                                        type: "PROGRESSIVE_EXPOSURE" | "CUSTOM_RAMP_UP";
                                    };
                                    segmentId?: number;
                                    /** @enum {unknown} */
                                    state: "ACTIVE" | "PAUSED";
                                    /** @enum {unknown} */
                                    status: "ACTIVE" | "PAUSED" | "PLANNED" | "OUTDATED";
                                    /** @enum {unknown} */
                                    trafficAllocationMethod?: "MANUAL" | "MULTI_ARMED_BANDIT" | "CONTEXTUAL_BANDIT";
                                    trafficAllocations?: {
                                        exposition: number;
                                        variationId: number;
                                        variationKey: string;
                                    }[];
                                    /** @enum {unknown} */
                                    type: "TARGETED_DELIVERY" | "PROGRESSIVE_DELIVERY" | "EXPERIMENTATION";
                                    variationKey?: string;
                                }[];
                            }[];
                            featureKey: string;
                            /** @enum {unknown} */
                            health: "HEALTHY" | "PERMANENT" | "STALE" | "SMELLY";
                            id: number;
                            name: string;
                            primaryGoalId?: number;
                            secondaryGoalIds: number[];
                            siteCode: string;
                            tags: string[];
                            variables: {
                                allowedValues?: string[];
                                key: string;
                                /** @enum {unknown} */
                                type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                value: string;
                            }[];
                            variations: {
                                id: number;
                                key: string;
                                name: string;
                                variables: {
                                    key: string;
                                    /** @enum {unknown} */
                                    type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                    value: string;
                                }[];
                            }[];
                            /** @description increments on every change; the ETag */
                            version: number;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/feature-flags/{siteCode}/{featureKey}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    featureKey: string;
                    siteCode: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            archived: boolean;
                            /** @description milliseconds */
                            attributionWindow?: number;
                            bucketingKey?: {
                                /** @enum {unknown} */
                                bucketingKeyType?: "VISITOR_CODE" | "CUSTOM_DATA";
                                customDataId?: number;
                            };
                            /**
                             * @description Vexil extension
                             * @enum {unknown}
                             */
                            bucketingMode?: "VEXIL" | "LAUNCHDARKLY";
                            createdById?: number;
                            /** Format: date-time */
                            dateContentModified: string;
                            /** Format: date-time */
                            dateCreated: string;
                            /** Format: date-time */
                            dateModified: string;
                            description: string;
                            environmentConfigurations: {
                                /** Format: date-time */
                                dateModified: string;
                                defaultVariationKey: string;
                                environmentKey: string;
                                featureEnabled: boolean;
                                integrations: {
                                    deliveryRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                    experimentRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                };
                                rolloutRules: {
                                    controlVariationKey?: string;
                                    /** @description PROGRESSIVE_DELIVERY: the ramp's value now */
                                    currentExposition?: number;
                                    experimentId?: number;
                                    exposition: number;
                                    id: number;
                                    multiArmedBandit?: boolean;
                                    name: string;
                                    orderIndex: number;
                                    reallocation?: boolean;
                                    release?: {
                                        releaseFrom?: string;
                                        releaseTo?: string;
                                        timeZone?: string;
                                    };
                                    rollbackConditions: {
                                        /** @enum {unknown} */
                                        comparisonOperator: "GREATER_THAN" | "LESS_THAN";
                                        /** @enum {unknown} */
                                        criteria: "UPLIFT" | "DOWNLIFT" | "CONVERSION_RATE";
                                        goalId: number;
                                        id: number;
                                        matchValue: number;
                                        recipients: string[];
                                        /** @enum {unknown} */
                                        target: "RULE" | "ENVIRONMENT";
                                        visitors: number;
                                    }[];
                                    rolloutConfiguration?: {
                                        frequency?: {
                                            /** @enum {unknown} */
                                            unit: "Nanos" | "Micros" | "Millis" | "Seconds" | "Minutes" | "Hours" | "HalfDays" | "Days" | "Weeks" | "Months" | "Years" | "Decades" | "Centuries" | "Millennia" | "Eras" | "Forever";
                                            value: number;
                                        };
                                        increaseBy?: number;
                                        percentageRange?: {
                                            start: number;
                                            stop: number;
                                        };
                                        releaseDateTime?: string;
                                        steps?: {
                                            dateTime: string;
                                            exposure: number;
                                        }[];
                                        /** @enum {unknown} */
                                        type: "PROGRESSIVE_EXPOSURE" | "CUSTOM_RAMP_UP";
                                    };
                                    segmentId?: number;
                                    /** @enum {unknown} */
                                    state: "ACTIVE" | "PAUSED";
                                    /** @enum {unknown} */
                                    status: "ACTIVE" | "PAUSED" | "PLANNED" | "OUTDATED";
                                    /** @enum {unknown} */
                                    trafficAllocationMethod?: "MANUAL" | "MULTI_ARMED_BANDIT" | "CONTEXTUAL_BANDIT";
                                    trafficAllocations?: {
                                        exposition: number;
                                        variationId: number;
                                        variationKey: string;
                                    }[];
                                    /** @enum {unknown} */
                                    type: "TARGETED_DELIVERY" | "PROGRESSIVE_DELIVERY" | "EXPERIMENTATION";
                                    variationKey?: string;
                                }[];
                            }[];
                            featureKey: string;
                            /** @enum {unknown} */
                            health: "HEALTHY" | "PERMANENT" | "STALE" | "SMELLY";
                            id: number;
                            name: string;
                            primaryGoalId?: number;
                            secondaryGoalIds: number[];
                            siteCode: string;
                            tags: string[];
                            variables: {
                                allowedValues?: string[];
                                key: string;
                                /** @enum {unknown} */
                                type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                value: string;
                            }[];
                            variations: {
                                id: number;
                                key: string;
                                name: string;
                                variables: {
                                    key: string;
                                    /** @enum {unknown} */
                                    type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                    value: string;
                                }[];
                            }[];
                            /** @description increments on every change; the ETag */
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/feature-flags/{siteCode}/{featureKey}/duplicate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    featureKey: string;
                    siteCode: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        featureKey?: string;
                        name?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            archived: boolean;
                            /** @description milliseconds */
                            attributionWindow?: number;
                            bucketingKey?: {
                                /** @enum {unknown} */
                                bucketingKeyType?: "VISITOR_CODE" | "CUSTOM_DATA";
                                customDataId?: number;
                            };
                            /**
                             * @description Vexil extension
                             * @enum {unknown}
                             */
                            bucketingMode?: "VEXIL" | "LAUNCHDARKLY";
                            createdById?: number;
                            /** Format: date-time */
                            dateContentModified: string;
                            /** Format: date-time */
                            dateCreated: string;
                            /** Format: date-time */
                            dateModified: string;
                            description: string;
                            environmentConfigurations: {
                                /** Format: date-time */
                                dateModified: string;
                                defaultVariationKey: string;
                                environmentKey: string;
                                featureEnabled: boolean;
                                integrations: {
                                    deliveryRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                    experimentRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                };
                                rolloutRules: {
                                    controlVariationKey?: string;
                                    /** @description PROGRESSIVE_DELIVERY: the ramp's value now */
                                    currentExposition?: number;
                                    experimentId?: number;
                                    exposition: number;
                                    id: number;
                                    multiArmedBandit?: boolean;
                                    name: string;
                                    orderIndex: number;
                                    reallocation?: boolean;
                                    release?: {
                                        releaseFrom?: string;
                                        releaseTo?: string;
                                        timeZone?: string;
                                    };
                                    rollbackConditions: {
                                        /** @enum {unknown} */
                                        comparisonOperator: "GREATER_THAN" | "LESS_THAN";
                                        /** @enum {unknown} */
                                        criteria: "UPLIFT" | "DOWNLIFT" | "CONVERSION_RATE";
                                        goalId: number;
                                        id: number;
                                        matchValue: number;
                                        recipients: string[];
                                        /** @enum {unknown} */
                                        target: "RULE" | "ENVIRONMENT";
                                        visitors: number;
                                    }[];
                                    rolloutConfiguration?: {
                                        frequency?: {
                                            /** @enum {unknown} */
                                            unit: "Nanos" | "Micros" | "Millis" | "Seconds" | "Minutes" | "Hours" | "HalfDays" | "Days" | "Weeks" | "Months" | "Years" | "Decades" | "Centuries" | "Millennia" | "Eras" | "Forever";
                                            value: number;
                                        };
                                        increaseBy?: number;
                                        percentageRange?: {
                                            start: number;
                                            stop: number;
                                        };
                                        releaseDateTime?: string;
                                        steps?: {
                                            dateTime: string;
                                            exposure: number;
                                        }[];
                                        /** @enum {unknown} */
                                        type: "PROGRESSIVE_EXPOSURE" | "CUSTOM_RAMP_UP";
                                    };
                                    segmentId?: number;
                                    /** @enum {unknown} */
                                    state: "ACTIVE" | "PAUSED";
                                    /** @enum {unknown} */
                                    status: "ACTIVE" | "PAUSED" | "PLANNED" | "OUTDATED";
                                    /** @enum {unknown} */
                                    trafficAllocationMethod?: "MANUAL" | "MULTI_ARMED_BANDIT" | "CONTEXTUAL_BANDIT";
                                    trafficAllocations?: {
                                        exposition: number;
                                        variationId: number;
                                        variationKey: string;
                                    }[];
                                    /** @enum {unknown} */
                                    type: "TARGETED_DELIVERY" | "PROGRESSIVE_DELIVERY" | "EXPERIMENTATION";
                                    variationKey?: string;
                                }[];
                            }[];
                            featureKey: string;
                            /** @enum {unknown} */
                            health: "HEALTHY" | "PERMANENT" | "STALE" | "SMELLY";
                            id: number;
                            name: string;
                            primaryGoalId?: number;
                            secondaryGoalIds: number[];
                            siteCode: string;
                            tags: string[];
                            variables: {
                                allowedValues?: string[];
                                key: string;
                                /** @enum {unknown} */
                                type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                value: string;
                            }[];
                            variations: {
                                id: number;
                                key: string;
                                name: string;
                                variables: {
                                    key: string;
                                    /** @enum {unknown} */
                                    type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                    value: string;
                                }[];
                            }[];
                            /** @description increments on every change; the ETag */
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/feature-flags/{siteCode}/{featureKey}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    featureKey: string;
                    siteCode: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            archived: boolean;
                            /** @description milliseconds */
                            attributionWindow?: number;
                            bucketingKey?: {
                                /** @enum {unknown} */
                                bucketingKeyType?: "VISITOR_CODE" | "CUSTOM_DATA";
                                customDataId?: number;
                            };
                            /**
                             * @description Vexil extension
                             * @enum {unknown}
                             */
                            bucketingMode?: "VEXIL" | "LAUNCHDARKLY";
                            createdById?: number;
                            /** Format: date-time */
                            dateContentModified: string;
                            /** Format: date-time */
                            dateCreated: string;
                            /** Format: date-time */
                            dateModified: string;
                            description: string;
                            environmentConfigurations: {
                                /** Format: date-time */
                                dateModified: string;
                                defaultVariationKey: string;
                                environmentKey: string;
                                featureEnabled: boolean;
                                integrations: {
                                    deliveryRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                    experimentRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                };
                                rolloutRules: {
                                    controlVariationKey?: string;
                                    /** @description PROGRESSIVE_DELIVERY: the ramp's value now */
                                    currentExposition?: number;
                                    experimentId?: number;
                                    exposition: number;
                                    id: number;
                                    multiArmedBandit?: boolean;
                                    name: string;
                                    orderIndex: number;
                                    reallocation?: boolean;
                                    release?: {
                                        releaseFrom?: string;
                                        releaseTo?: string;
                                        timeZone?: string;
                                    };
                                    rollbackConditions: {
                                        /** @enum {unknown} */
                                        comparisonOperator: "GREATER_THAN" | "LESS_THAN";
                                        /** @enum {unknown} */
                                        criteria: "UPLIFT" | "DOWNLIFT" | "CONVERSION_RATE";
                                        goalId: number;
                                        id: number;
                                        matchValue: number;
                                        recipients: string[];
                                        /** @enum {unknown} */
                                        target: "RULE" | "ENVIRONMENT";
                                        visitors: number;
                                    }[];
                                    rolloutConfiguration?: {
                                        frequency?: {
                                            /** @enum {unknown} */
                                            unit: "Nanos" | "Micros" | "Millis" | "Seconds" | "Minutes" | "Hours" | "HalfDays" | "Days" | "Weeks" | "Months" | "Years" | "Decades" | "Centuries" | "Millennia" | "Eras" | "Forever";
                                            value: number;
                                        };
                                        increaseBy?: number;
                                        percentageRange?: {
                                            start: number;
                                            stop: number;
                                        };
                                        releaseDateTime?: string;
                                        steps?: {
                                            dateTime: string;
                                            exposure: number;
                                        }[];
                                        /** @enum {unknown} */
                                        type: "PROGRESSIVE_EXPOSURE" | "CUSTOM_RAMP_UP";
                                    };
                                    segmentId?: number;
                                    /** @enum {unknown} */
                                    state: "ACTIVE" | "PAUSED";
                                    /** @enum {unknown} */
                                    status: "ACTIVE" | "PAUSED" | "PLANNED" | "OUTDATED";
                                    /** @enum {unknown} */
                                    trafficAllocationMethod?: "MANUAL" | "MULTI_ARMED_BANDIT" | "CONTEXTUAL_BANDIT";
                                    trafficAllocations?: {
                                        exposition: number;
                                        variationId: number;
                                        variationKey: string;
                                    }[];
                                    /** @enum {unknown} */
                                    type: "TARGETED_DELIVERY" | "PROGRESSIVE_DELIVERY" | "EXPERIMENTATION";
                                    variationKey?: string;
                                }[];
                            }[];
                            featureKey: string;
                            /** @enum {unknown} */
                            health: "HEALTHY" | "PERMANENT" | "STALE" | "SMELLY";
                            id: number;
                            name: string;
                            primaryGoalId?: number;
                            secondaryGoalIds: number[];
                            siteCode: string;
                            tags: string[];
                            variables: {
                                allowedValues?: string[];
                                key: string;
                                /** @enum {unknown} */
                                type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                value: string;
                            }[];
                            variations: {
                                id: number;
                                key: string;
                                name: string;
                                variables: {
                                    key: string;
                                    /** @enum {unknown} */
                                    type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                    value: string;
                                }[];
                            }[];
                            /** @description increments on every change; the ETag */
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/feature-flags/rules/{ruleId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    ruleId: number;
                };
                cookie?: never;
            };
            /** @description JSON Merge Patch of one rollout rule */
            requestBody: {
                content: {
                    "application/json": {
                        controlVariationKey?: string | null;
                        currentExposition?: number | null;
                        experimentId?: number | null;
                        exposition?: number | null;
                        /** @description kept when it names a rule of this flag and environment */
                        id?: number | null;
                        multiArmedBandit?: boolean | null;
                        name?: string | null;
                        orderIndex?: number | null;
                        reallocation?: boolean | null;
                        release?: {
                            /** @description ISO 8601 date-time */
                            releaseFrom?: string | null;
                            /** @description ISO 8601 date-time */
                            releaseTo?: string | null;
                            /** @description IANA time zone */
                            timeZone?: string | null;
                        } | null;
                        rollbackConditions?: {
                            /** @enum {unknown} */
                            comparisonOperator?: "GREATER_THAN" | "LESS_THAN";
                            /** @enum {unknown} */
                            criteria?: "UPLIFT" | "DOWNLIFT" | "CONVERSION_RATE";
                            goalId: number;
                            /** @description read-only; kept when it names a condition of the rule */
                            id?: number;
                            /** @enum {unknown} */
                            matchType?: "GREATER_THAN" | "LESS_THAN";
                            matchValue: number;
                            recipients?: string[];
                            /** @enum {unknown} */
                            target?: "RULE" | "ENVIRONMENT";
                            visitors?: number;
                        }[] | null;
                        rolloutConfiguration?: {
                            frequency?: {
                                /** @enum {unknown} */
                                unit?: "Nanos" | "Micros" | "Millis" | "Seconds" | "Minutes" | "Hours" | "HalfDays" | "Days" | "Weeks" | "Months" | "Years" | "Decades" | "Centuries" | "Millennia" | "Eras" | "Forever" | null;
                                value?: number | null;
                            } | null;
                            increaseBy?: number | null;
                            percentageRange?: {
                                start?: number | null;
                                stop?: number | null;
                            } | null;
                            /** @description ISO 8601 date-time */
                            releaseDateTime?: string | null;
                            steps?: {
                                /** @description ISO 8601 date-time */
                                dateTime: string;
                                exposure: number;
                            }[] | null;
                            /** @enum {unknown} */
                            type?: "PROGRESSIVE_EXPOSURE" | "CUSTOM_RAMP_UP" | null;
                        } | null;
                        segmentId?: number | null;
                        /** @enum {unknown} */
                        state?: "ACTIVE" | "PAUSED" | null;
                        /** @enum {unknown} */
                        status?: "ACTIVE" | "PAUSED" | "PLANNED" | "OUTDATED" | null;
                        /** @enum {unknown} */
                        trafficAllocationMethod?: "MANUAL" | "MULTI_ARMED_BANDIT" | "CONTEXTUAL_BANDIT" | null;
                        trafficAllocations?: {
                            exposition: number;
                            variationId?: number;
                            variationKey?: string;
                        }[] | null;
                        /** @enum {unknown} */
                        type?: "TARGETED_DELIVERY" | "PROGRESSIVE_DELIVERY" | "EXPERIMENTATION" | null;
                        variationKey?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            archived: boolean;
                            /** @description milliseconds */
                            attributionWindow?: number;
                            bucketingKey?: {
                                /** @enum {unknown} */
                                bucketingKeyType?: "VISITOR_CODE" | "CUSTOM_DATA";
                                customDataId?: number;
                            };
                            /**
                             * @description Vexil extension
                             * @enum {unknown}
                             */
                            bucketingMode?: "VEXIL" | "LAUNCHDARKLY";
                            createdById?: number;
                            /** Format: date-time */
                            dateContentModified: string;
                            /** Format: date-time */
                            dateCreated: string;
                            /** Format: date-time */
                            dateModified: string;
                            description: string;
                            environmentConfigurations: {
                                /** Format: date-time */
                                dateModified: string;
                                defaultVariationKey: string;
                                environmentKey: string;
                                featureEnabled: boolean;
                                integrations: {
                                    deliveryRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                    experimentRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                };
                                rolloutRules: {
                                    controlVariationKey?: string;
                                    /** @description PROGRESSIVE_DELIVERY: the ramp's value now */
                                    currentExposition?: number;
                                    experimentId?: number;
                                    exposition: number;
                                    id: number;
                                    multiArmedBandit?: boolean;
                                    name: string;
                                    orderIndex: number;
                                    reallocation?: boolean;
                                    release?: {
                                        releaseFrom?: string;
                                        releaseTo?: string;
                                        timeZone?: string;
                                    };
                                    rollbackConditions: {
                                        /** @enum {unknown} */
                                        comparisonOperator: "GREATER_THAN" | "LESS_THAN";
                                        /** @enum {unknown} */
                                        criteria: "UPLIFT" | "DOWNLIFT" | "CONVERSION_RATE";
                                        goalId: number;
                                        id: number;
                                        matchValue: number;
                                        recipients: string[];
                                        /** @enum {unknown} */
                                        target: "RULE" | "ENVIRONMENT";
                                        visitors: number;
                                    }[];
                                    rolloutConfiguration?: {
                                        frequency?: {
                                            /** @enum {unknown} */
                                            unit: "Nanos" | "Micros" | "Millis" | "Seconds" | "Minutes" | "Hours" | "HalfDays" | "Days" | "Weeks" | "Months" | "Years" | "Decades" | "Centuries" | "Millennia" | "Eras" | "Forever";
                                            value: number;
                                        };
                                        increaseBy?: number;
                                        percentageRange?: {
                                            start: number;
                                            stop: number;
                                        };
                                        releaseDateTime?: string;
                                        steps?: {
                                            dateTime: string;
                                            exposure: number;
                                        }[];
                                        /** @enum {unknown} */
                                        type: "PROGRESSIVE_EXPOSURE" | "CUSTOM_RAMP_UP";
                                    };
                                    segmentId?: number;
                                    /** @enum {unknown} */
                                    state: "ACTIVE" | "PAUSED";
                                    /** @enum {unknown} */
                                    status: "ACTIVE" | "PAUSED" | "PLANNED" | "OUTDATED";
                                    /** @enum {unknown} */
                                    trafficAllocationMethod?: "MANUAL" | "MULTI_ARMED_BANDIT" | "CONTEXTUAL_BANDIT";
                                    trafficAllocations?: {
                                        exposition: number;
                                        variationId: number;
                                        variationKey: string;
                                    }[];
                                    /** @enum {unknown} */
                                    type: "TARGETED_DELIVERY" | "PROGRESSIVE_DELIVERY" | "EXPERIMENTATION";
                                    variationKey?: string;
                                }[];
                            }[];
                            featureKey: string;
                            /** @enum {unknown} */
                            health: "HEALTHY" | "PERMANENT" | "STALE" | "SMELLY";
                            id: number;
                            name: string;
                            primaryGoalId?: number;
                            secondaryGoalIds: number[];
                            siteCode: string;
                            tags: string[];
                            variables: {
                                allowedValues?: string[];
                                key: string;
                                /** @enum {unknown} */
                                type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                value: string;
                            }[];
                            variations: {
                                id: number;
                                key: string;
                                name: string;
                                variables: {
                                    key: string;
                                    /** @enum {unknown} */
                                    type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                    value: string;
                                }[];
                            }[];
                            /** @description increments on every change; the ETag */
                            version: number;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/feature-flags/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: {
                    archived?: "true" | "false" | "all";
                    /** @description on (or off) in environmentKey; needs environmentKey */
                    enabled?: "true" | "false";
                    /** @description the environment `enabled` and `ruleType` look at (one of siteCode's when given) */
                    environmentKey?: string;
                    /** @description JSON filter expression(s) */
                    filter?: string;
                    /** @description comma-separated, any of HEALTHY, PERMANENT, STALE, SMELLY */
                    health?: string;
                    /** @description accepted; every field is returned */
                    optionalFields?: string;
                    page?: number;
                    perPage?: number;
                    /** @description comma-separated, any of TARGETED_DELIVERY, PROGRESSIVE_DELIVERY, EXPERIMENTATION: flags with such a rule in environmentKey (any environment without it) */
                    ruleType?: string;
                    siteCode?: string;
                    /** @description JSON [{"field","direction"}] or "field,-field" */
                    sort?: string;
                    /** @description comma-separated; any of them */
                    tags?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        filter?: {
                            /** @enum {unknown} */
                            conditionalOperator?: "AND" | "OR";
                            expressions?: unknown[];
                            field?: string;
                            operator?: string;
                            parameters?: unknown[];
                        } | {
                            /** @enum {unknown} */
                            conditionalOperator?: "AND" | "OR";
                            expressions?: unknown[];
                            field?: string;
                            operator?: string;
                            parameters?: unknown[];
                        }[];
                        page?: number;
                        perPage?: number;
                        sort?: {
                            /** @enum {unknown} */
                            direction?: "ASC" | "DESC";
                            field: string;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            archived: boolean;
                            /** @description milliseconds */
                            attributionWindow?: number;
                            bucketingKey?: {
                                /** @enum {unknown} */
                                bucketingKeyType?: "VISITOR_CODE" | "CUSTOM_DATA";
                                customDataId?: number;
                            };
                            /**
                             * @description Vexil extension
                             * @enum {unknown}
                             */
                            bucketingMode?: "VEXIL" | "LAUNCHDARKLY";
                            createdById?: number;
                            /** Format: date-time */
                            dateContentModified: string;
                            /** Format: date-time */
                            dateCreated: string;
                            /** Format: date-time */
                            dateModified: string;
                            description: string;
                            environmentConfigurations: {
                                /** Format: date-time */
                                dateModified: string;
                                defaultVariationKey: string;
                                environmentKey: string;
                                featureEnabled: boolean;
                                integrations: {
                                    deliveryRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                    experimentRules?: ({
                                        customAnalytics?: string[];
                                        customVariable?: number;
                                        integrationName?: string;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                };
                                rolloutRules: {
                                    controlVariationKey?: string;
                                    /** @description PROGRESSIVE_DELIVERY: the ramp's value now */
                                    currentExposition?: number;
                                    experimentId?: number;
                                    exposition: number;
                                    id: number;
                                    multiArmedBandit?: boolean;
                                    name: string;
                                    orderIndex: number;
                                    reallocation?: boolean;
                                    release?: {
                                        releaseFrom?: string;
                                        releaseTo?: string;
                                        timeZone?: string;
                                    };
                                    rollbackConditions: {
                                        /** @enum {unknown} */
                                        comparisonOperator: "GREATER_THAN" | "LESS_THAN";
                                        /** @enum {unknown} */
                                        criteria: "UPLIFT" | "DOWNLIFT" | "CONVERSION_RATE";
                                        goalId: number;
                                        id: number;
                                        matchValue: number;
                                        recipients: string[];
                                        /** @enum {unknown} */
                                        target: "RULE" | "ENVIRONMENT";
                                        visitors: number;
                                    }[];
                                    rolloutConfiguration?: {
                                        frequency?: {
                                            /** @enum {unknown} */
                                            unit: "Nanos" | "Micros" | "Millis" | "Seconds" | "Minutes" | "Hours" | "HalfDays" | "Days" | "Weeks" | "Months" | "Years" | "Decades" | "Centuries" | "Millennia" | "Eras" | "Forever";
                                            value: number;
                                        };
                                        increaseBy?: number;
                                        percentageRange?: {
                                            start: number;
                                            stop: number;
                                        };
                                        releaseDateTime?: string;
                                        steps?: {
                                            dateTime: string;
                                            exposure: number;
                                        }[];
                                        /** @enum {unknown} */
                                        type: "PROGRESSIVE_EXPOSURE" | "CUSTOM_RAMP_UP";
                                    };
                                    segmentId?: number;
                                    /** @enum {unknown} */
                                    state: "ACTIVE" | "PAUSED";
                                    /** @enum {unknown} */
                                    status: "ACTIVE" | "PAUSED" | "PLANNED" | "OUTDATED";
                                    /** @enum {unknown} */
                                    trafficAllocationMethod?: "MANUAL" | "MULTI_ARMED_BANDIT" | "CONTEXTUAL_BANDIT";
                                    trafficAllocations?: {
                                        exposition: number;
                                        variationId: number;
                                        variationKey: string;
                                    }[];
                                    /** @enum {unknown} */
                                    type: "TARGETED_DELIVERY" | "PROGRESSIVE_DELIVERY" | "EXPERIMENTATION";
                                    variationKey?: string;
                                }[];
                            }[];
                            featureKey: string;
                            /** @enum {unknown} */
                            health: "HEALTHY" | "PERMANENT" | "STALE" | "SMELLY";
                            id: number;
                            name: string;
                            primaryGoalId?: number;
                            secondaryGoalIds: number[];
                            siteCode: string;
                            tags: string[];
                            variables: {
                                allowedValues?: string[];
                                key: string;
                                /** @enum {unknown} */
                                type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                value: string;
                            }[];
                            variations: {
                                id: number;
                                key: string;
                                name: string;
                                variables: {
                                    key: string;
                                    /** @enum {unknown} */
                                    type: "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";
                                    value: string;
                                }[];
                            }[];
                            /** @description increments on every change; the ETag */
                            version: number;
                        }[];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/goals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    siteCode?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cappingSettings: {
                                /** @enum {unknown} */
                                type: "none" | "absolute" | "percentile";
                                value: number | null;
                            };
                            /** Format: date-time */
                            dateCreated: string;
                            /** Format: date-time */
                            dateModified: string;
                            description: string;
                            eventKey: string;
                            hasMultipleConversions: boolean;
                            id: number;
                            isNumeric: boolean;
                            key: string;
                            /** @enum {unknown} */
                            kind: "custom" | "pageview" | "click";
                            name: string;
                            siteCode: string;
                            /** @enum {unknown} */
                            successCriteria: "HigherThanBaseline" | "LowerThanBaseline";
                            tags: string[];
                            /** @enum {unknown} */
                            type: "CUSTOM" | "PAGE_URL" | "CLICK";
                            unit: string | null;
                            /** @enum {unknown} */
                            unitAggregationType: "sum" | "average";
                        }[];
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        cappingSettings?: {
                            /** @enum {unknown} */
                            type: "none" | "absolute" | "percentile";
                            /** @description absolute: the cap (> 0); percentile: a fraction between 0 and 1 (0.99 = P99) */
                            value?: number | null;
                        };
                        dateCreated?: string;
                        dateModified?: string;
                        description?: string;
                        eventKey?: string;
                        hasMultipleConversions?: boolean;
                        /** @description read-only */
                        id?: number;
                        isNumeric?: boolean;
                        /** @description unique in the project (metricKey) */
                        key?: string;
                        /** @enum {unknown} */
                        kind?: "custom" | "pageview" | "click";
                        name: string;
                        siteCode: string;
                        /** @enum {unknown} */
                        successCriteria?: "HigherThanBaseline" | "LowerThanBaseline";
                        tags?: string[];
                        /**
                         * @description Kameleoon's name of `kind`
                         * @enum {unknown}
                         */
                        type?: "CUSTOM" | "PAGE_URL" | "CLICK";
                        unit?: string;
                        /** @enum {unknown} */
                        unitAggregationType?: "sum" | "average";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cappingSettings: {
                                /** @enum {unknown} */
                                type: "none" | "absolute" | "percentile";
                                value: number | null;
                            };
                            /** Format: date-time */
                            dateCreated: string;
                            /** Format: date-time */
                            dateModified: string;
                            description: string;
                            eventKey: string;
                            hasMultipleConversions: boolean;
                            id: number;
                            isNumeric: boolean;
                            key: string;
                            /** @enum {unknown} */
                            kind: "custom" | "pageview" | "click";
                            name: string;
                            siteCode: string;
                            /** @enum {unknown} */
                            successCriteria: "HigherThanBaseline" | "LowerThanBaseline";
                            tags: string[];
                            /** @enum {unknown} */
                            type: "CUSTOM" | "PAGE_URL" | "CLICK";
                            unit: string | null;
                            /** @enum {unknown} */
                            unitAggregationType: "sum" | "average";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/goals/{goalId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    goalId: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cappingSettings: {
                                /** @enum {unknown} */
                                type: "none" | "absolute" | "percentile";
                                value: number | null;
                            };
                            /** Format: date-time */
                            dateCreated: string;
                            /** Format: date-time */
                            dateModified: string;
                            description: string;
                            eventKey: string;
                            hasMultipleConversions: boolean;
                            id: number;
                            isNumeric: boolean;
                            key: string;
                            /** @enum {unknown} */
                            kind: "custom" | "pageview" | "click";
                            name: string;
                            siteCode: string;
                            /** @enum {unknown} */
                            successCriteria: "HigherThanBaseline" | "LowerThanBaseline";
                            tags: string[];
                            /** @enum {unknown} */
                            type: "CUSTOM" | "PAGE_URL" | "CLICK";
                            unit: string | null;
                            /** @enum {unknown} */
                            unitAggregationType: "sum" | "average";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    goalId: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    goalId: number;
                };
                cookie?: never;
            };
            /** @description JSON Merge Patch of a goal */
            requestBody: {
                content: {
                    "application/json": {
                        cappingSettings?: {
                            /** @enum {unknown} */
                            type?: "none" | "absolute" | "percentile" | null;
                            /** @description absolute: the cap (> 0); percentile: a fraction between 0 and 1 (0.99 = P99) */
                            value?: number | null;
                        } | null;
                        dateCreated?: string | null;
                        dateModified?: string | null;
                        description?: string | null;
                        eventKey?: string | null;
                        hasMultipleConversions?: boolean | null;
                        /** @description read-only */
                        id?: number | null;
                        isNumeric?: boolean | null;
                        /** @description unique in the project (metricKey) */
                        key?: string | null;
                        /** @enum {unknown} */
                        kind?: "custom" | "pageview" | "click" | null;
                        name?: string | null;
                        siteCode?: string | null;
                        /** @enum {unknown} */
                        successCriteria?: "HigherThanBaseline" | "LowerThanBaseline" | null;
                        tags?: string[] | null;
                        /**
                         * @description Kameleoon's name of `kind`
                         * @enum {unknown}
                         */
                        type?: "CUSTOM" | "PAGE_URL" | "CLICK" | null;
                        unit?: string | null;
                        /** @enum {unknown} */
                        unitAggregationType?: "sum" | "average" | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cappingSettings: {
                                /** @enum {unknown} */
                                type: "none" | "absolute" | "percentile";
                                value: number | null;
                            };
                            /** Format: date-time */
                            dateCreated: string;
                            /** Format: date-time */
                            dateModified: string;
                            description: string;
                            eventKey: string;
                            hasMultipleConversions: boolean;
                            id: number;
                            isNumeric: boolean;
                            key: string;
                            /** @enum {unknown} */
                            kind: "custom" | "pageview" | "click";
                            name: string;
                            siteCode: string;
                            /** @enum {unknown} */
                            successCriteria: "HigherThanBaseline" | "LowerThanBaseline";
                            tags: string[];
                            /** @enum {unknown} */
                            type: "CUSTOM" | "PAGE_URL" | "CLICK";
                            unit: string | null;
                            /** @enum {unknown} */
                            unitAggregationType: "sum" | "average";
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            reason?: string;
                            status: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Prometheus text exposition format */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/notification-emails": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query: {
                    limit: number;
                    offset: number;
                    projectKey?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                attempts: number;
                                body: string;
                                createdAt: number;
                                environmentKey: string;
                                error: string | null;
                                featureKey: string;
                                flagId: number;
                                id: number;
                                kind: string;
                                messageId: string | null;
                                projectKey: string;
                                recipients: string[];
                                ruleId: number | null;
                                sentAt: number | null;
                                /** @enum {unknown} */
                                status: "PENDING" | "SENT" | "FAILED" | "SKIPPED";
                                subject: string;
                                updatedAt: number;
                            }[];
                            total: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        client_id?: string;
                        client_secret?: string;
                        grant_type: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: string;
                            error_description: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: string;
                            error_description: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            access_token: string;
                            /** @description seconds */
                            expires_in: number;
                            /** @enum {string} */
                            token_type: "Bearer";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ofrep/v1/configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** OFREP provider configuration (either SDK key) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            errorCode: string;
                            errorDetails: string;
                            key?: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            errorCode: string;
                            errorDetails: string;
                            key?: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            capabilities: {
                                cacheInvalidation: {
                                    polling: {
                                        enabled: boolean;
                                        minPollingIntervalMs: number;
                                    };
                                };
                                flagEvaluation: {
                                    supportedTypes: string[];
                                };
                            };
                            name: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ofrep/v1/evaluate/flags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** OFREP bulk evaluation of every flag (either SDK key) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            errorCode: string;
                            errorDetails: string;
                            key?: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            errorCode: string;
                            errorDetails: string;
                            key?: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            flags: ({
                                key: string;
                                metadata: {
                                    [key: string]: string | number | boolean;
                                };
                                reason: string;
                                /** @description boolean, number, string or object, by the flag's variables */
                                value: unknown;
                                variant: string;
                            } | {
                                errorCode: string;
                                errorDetails: string;
                                key?: string;
                            })[];
                        };
                    };
                };
                /** @description no body */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ofrep/v1/evaluate/flags/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** OFREP single flag evaluation (either SDK key) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    key: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            errorCode: string;
                            errorDetails: string;
                            key?: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            errorCode: string;
                            errorDetails: string;
                            key?: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            key: string;
                            metadata: {
                                [key: string]: string | number | boolean;
                            };
                            reason: string;
                            /** @description boolean, number, string or object, by the flag's variables */
                            value: unknown;
                            variant: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            environments: {
                                /** @description public: may only ask the server to evaluate */
                                clientSdkKey: string;
                                color: string;
                                /** Format: date-time */
                                createdAt: string;
                                key: string;
                                name: string;
                                /** @description secret: downloads the whole configuration */
                                serverSdkKey: string;
                            }[];
                            key: string;
                            name: string;
                            settings: {
                                defaultClientSideAvailability?: {
                                    usingEnvironmentId: boolean;
                                    usingMobileKey: boolean;
                                };
                                includeInSnippetByDefault?: boolean;
                                namingConvention?: {
                                    case?: string;
                                    prefix?: string;
                                };
                            };
                            tags: string[];
                        }[];
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string;
                        environments?: {
                            color?: string;
                            /** @description 1-64 of [A-Za-z0-9._-] */
                            key: string;
                            name: string;
                        }[];
                        /** @description 1-64 of [A-Za-z0-9._-] */
                        key: string;
                        name: string;
                        tags?: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            environments: {
                                /** @description public: may only ask the server to evaluate */
                                clientSdkKey: string;
                                color: string;
                                /** Format: date-time */
                                createdAt: string;
                                key: string;
                                name: string;
                                /** @description secret: downloads the whole configuration */
                                serverSdkKey: string;
                            }[];
                            key: string;
                            name: string;
                            settings: {
                                defaultClientSideAvailability?: {
                                    usingEnvironmentId: boolean;
                                    usingMobileKey: boolean;
                                };
                                includeInSnippetByDefault?: boolean;
                                namingConvention?: {
                                    case?: string;
                                    prefix?: string;
                                };
                            };
                            tags: string[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/projects/{projectKey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            environments: {
                                /** @description public: may only ask the server to evaluate */
                                clientSdkKey: string;
                                color: string;
                                /** Format: date-time */
                                createdAt: string;
                                key: string;
                                name: string;
                                /** @description secret: downloads the whole configuration */
                                serverSdkKey: string;
                            }[];
                            key: string;
                            name: string;
                            settings: {
                                defaultClientSideAvailability?: {
                                    usingEnvironmentId: boolean;
                                    usingMobileKey: boolean;
                                };
                                includeInSnippetByDefault?: boolean;
                                namingConvention?: {
                                    case?: string;
                                    prefix?: string;
                                };
                            };
                            tags: string[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string;
                        name?: string;
                        tags?: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            environments: {
                                /** @description public: may only ask the server to evaluate */
                                clientSdkKey: string;
                                color: string;
                                /** Format: date-time */
                                createdAt: string;
                                key: string;
                                name: string;
                                /** @description secret: downloads the whole configuration */
                                serverSdkKey: string;
                            }[];
                            key: string;
                            name: string;
                            settings: {
                                defaultClientSideAvailability?: {
                                    usingEnvironmentId: boolean;
                                    usingMobileKey: boolean;
                                };
                                includeInSnippetByDefault?: boolean;
                                namingConvention?: {
                                    case?: string;
                                    prefix?: string;
                                };
                            };
                            tags: string[];
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/projects/{projectKey}/environments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description public: may only ask the server to evaluate */
                            clientSdkKey: string;
                            color: string;
                            /** Format: date-time */
                            createdAt: string;
                            key: string;
                            name: string;
                            /** @description secret: downloads the whole configuration */
                            serverSdkKey: string;
                        }[];
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        color?: string;
                        /** @description 1-64 of [A-Za-z0-9._-] */
                        key: string;
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description public: may only ask the server to evaluate */
                            clientSdkKey: string;
                            color: string;
                            /** Format: date-time */
                            createdAt: string;
                            key: string;
                            name: string;
                            /** @description secret: downloads the whole configuration */
                            serverSdkKey: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/projects/{projectKey}/environments/{environmentKey}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    environmentKey: string;
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description public: may only ask the server to evaluate */
                            clientSdkKey: string;
                            color: string;
                            /** Format: date-time */
                            createdAt: string;
                            key: string;
                            name: string;
                            /** @description secret: downloads the whole configuration */
                            serverSdkKey: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    environmentKey: string;
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/projects/{projectKey}/environments/{environmentKey}/rotate-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query: {
                    keys: "server" | "client" | "both";
                };
                header?: never;
                path: {
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    environmentKey: string;
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description public: may only ask the server to evaluate */
                            clientSdkKey: string;
                            color: string;
                            /** Format: date-time */
                            createdAt: string;
                            key: string;
                            name: string;
                            /** @description secret: downloads the whole configuration */
                            serverSdkKey: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/projects/{projectKey}/sample-size": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Units and days an experiment needs to detect a minimum effect */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 1-64 of [A-Za-z0-9._-] */
                    projectKey: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description significance level (default 0.05) */
                        alpha?: number;
                        /** @description conversion metric: the reference's rate */
                        baselineRate?: number;
                        /**
                         * @description multiple-testing correction over (variations - 1) x goals comparisons (default none)
                         * @enum {unknown}
                         */
                        correction?: "none" | "bonferroni" | "holm" | "bh";
                        /** @description units a day over all variations; with goal, estimated from its data when absent */
                        dailyUnits?: number;
                        /**
                         * @description relative (default): a fraction of the baseline; absolute: in the metric's units
                         * @enum {unknown}
                         */
                        effect?: "relative" | "absolute";
                        /** @description estimate the baseline from the goal's recent data: a rate for a conversion goal, mean and sd for a numeric one */
                        goal?: {
                            /** @description the last N days of data (default 14) */
                            days?: number;
                            /** @description 1-64 of [A-Za-z0-9._-] */
                            environmentKey: string;
                            goalId: number;
                        };
                        /** @description goals analysed under the correction (default 1) */
                        goals?: number;
                        /** @description numeric metric: the reference's per-unit mean */
                        mean?: number;
                        /** @description relative (0.05 = +5 %, negative for a decrease) unless effect is absolute; not 0 */
                        minimumDetectableEffect: number;
                        /** @description power (default 0.8) */
                        power?: number;
                        /** @description per-unit standard deviation */
                        sd?: number;
                        /** @description always-valid sequential testing (default false) */
                        sequential?: boolean;
                        /** @description per-unit variance (or sd) */
                        variance?: number;
                        /** @description variations including the reference (default 2) */
                        variations?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            absoluteEffect: number;
                            alphaPerComparison: number;
                            baseline: {
                                /** @description the goal's cap applied to the per-unit values */
                                cap: number | null;
                                environmentKey: string | null;
                                /** Format: date-time */
                                from: string | null;
                                goalId: number | null;
                                mean: number | null;
                                /** @enum {unknown} */
                                metric: "rate" | "mean";
                                rate: number | null;
                                sd: number | null;
                                /** @enum {unknown} */
                                source: "request" | "goal";
                                /** Format: date-time */
                                to: string | null;
                                /** @description units in the goal's data */
                                units: number | null;
                            };
                            comparisons: number;
                            dailyUnits: number | null;
                            /** @description at dailyUnits (null without it) */
                            days: number | null;
                            /** @enum {unknown} */
                            method: "fleiss-pooled" | "normal" | "confidence-sequence";
                            relativeEffect: number | null;
                            totalUnits: number;
                            unitsPerVariation: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            reason?: string;
                            status: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            reason?: string;
                            status: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/results": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query: {
                    /** @description from POST .../results */
                    dataCode: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data?: {
                                breakdown: {
                                    cumulative?: boolean;
                                    /** @enum {unknown} */
                                    interval?: "HOUR" | "DAY" | "WEEK" | "MONTH";
                                    key?: string;
                                    /** @enum {unknown} */
                                    type: "BROWSER" | "DEVICE_TYPE" | "OS" | "COUNTRY" | "NEW_VISITOR" | "INTERVAL" | "CUSTOM_DATUM";
                                } | null;
                                /** @enum {unknown} */
                                conversionType: "ALL_CONVERSION" | "CONVERTED_VISITS";
                                dataCode: string;
                                dateIntervals: {
                                    end: string;
                                    start: string;
                                }[];
                                environmentKey: string;
                                experimentId: number | null;
                                featureFlagId: number;
                                featureKey: string;
                                filters: {
                                    include: boolean;
                                    key?: string;
                                    /** @enum {unknown} */
                                    type: "BROWSER" | "DEVICE_TYPE" | "OS" | "COUNTRY" | "NEW_VISITOR" | "CUSTOM_DATUM";
                                    values: string[];
                                }[];
                                /** Format: date-time */
                                generatedAt: string;
                                goals: {
                                    analyzedMetric: string;
                                    /** @description winsorisation of the goal's per-unit values (docs/statistics.md, Capping) */
                                    capping: {
                                        applied: boolean;
                                        /** @description the cap applied to each unit's value in this analysis */
                                        cap: number | null;
                                        /** @description why no cap was applied */
                                        reason: string | null;
                                        /** @enum {unknown} */
                                        type: "none" | "absolute" | "percentile";
                                        /** @description the goal's setting: absolute cap or percentile */
                                        value: number | null;
                                    };
                                    cuped: boolean;
                                    goalId: number;
                                    goalKey: string;
                                    isNumeric: boolean;
                                    lowerIsBetter: boolean;
                                    name: string;
                                    varianceReduction: ("REGRESSION" | "POST_STRATIFICATION") | (never | null);
                                }[];
                                referenceVariationId: string;
                                ruleId: number | null;
                                sampleRatioCheck: {
                                    chi2: number | null;
                                    degreesOfFreedom: number;
                                    flagged: boolean;
                                    pValue: number | null;
                                    threshold: number;
                                    variations: {
                                        [key: string]: {
                                            allocation: number;
                                            expected: number | null;
                                            observed: number;
                                        };
                                    };
                                } | null;
                                siteCode: string;
                                statistics: {
                                    alpha: number;
                                    /** @enum {unknown} */
                                    engine: "BAYESIAN" | "FREQUENTIST";
                                    multipleTestingCorrection: string | null;
                                    sequentialTesting: boolean;
                                };
                                /** @enum {unknown} */
                                unit: "VISITOR" | "VISIT";
                                /** @description by variation id; "all" with allVariationsData */
                                variationData: {
                                    [key: string]: {
                                        allocation: number | null;
                                        /** @description by breakdown value; "0" without breakdown */
                                        breakdownData: {
                                            [key: string]: {
                                                generalData: {
                                                    /** @description by goal id */
                                                    goalsData: {
                                                        [key: string]: {
                                                            absoluteEffect?: {
                                                                estimate: number | null;
                                                                fixedHorizon: {
                                                                    interval: {
                                                                        lower: number | null;
                                                                        upper: number | null;
                                                                    } | null;
                                                                    pValue: number | null;
                                                                } | null;
                                                                interval: {
                                                                    lower: number | null;
                                                                    upper: number | null;
                                                                } | null;
                                                                intervalAdjusted: {
                                                                    lower: number | null;
                                                                    upper: number | null;
                                                                } | null;
                                                                pValue: number | null;
                                                                pValueAdjusted: number | null;
                                                            } | null;
                                                            averageCart: number | null;
                                                            bayesian?: {
                                                                chanceToBeatReference: number | null;
                                                                chanceToBeBest: number | null;
                                                                expectedLoss: number | null;
                                                                improvementCredibleInterval: {
                                                                    lower: number | null;
                                                                    upper: number | null;
                                                                } | null;
                                                                model: string | null;
                                                            };
                                                            conversionCount: number;
                                                            conversionRate: number | null;
                                                            convertedVisitCount: number;
                                                            cuped?: {
                                                                applied: boolean;
                                                                conversionRate: number | null;
                                                                improvementInterval: {
                                                                    lower: number | null;
                                                                    upper: number | null;
                                                                } | null;
                                                                improvementRate: number | null;
                                                                pValue: number | null;
                                                                reason: string | null;
                                                                reliability: number | null;
                                                                theta: number | null;
                                                                varianceReduction: number | null;
                                                            };
                                                            fixedHorizon?: {
                                                                improvementInterval: {
                                                                    lower: number | null;
                                                                    upper: number | null;
                                                                } | null;
                                                                pValue: number | null;
                                                            };
                                                            improvementInterval?: {
                                                                lower: number | null;
                                                                upper: number | null;
                                                            } | null;
                                                            improvementIntervalAdjusted?: {
                                                                lower: number | null;
                                                                upper: number | null;
                                                            } | null;
                                                            improvementRate?: number | null;
                                                            pValue?: number | null;
                                                            pValueAdjusted?: number | null;
                                                            relativeEffect?: {
                                                                estimate: number | null;
                                                                fixedHorizon: {
                                                                    interval: {
                                                                        lower: number | null;
                                                                        upper: number | null;
                                                                    } | null;
                                                                    pValue: number | null;
                                                                } | null;
                                                                interval: {
                                                                    lower: number | null;
                                                                    upper: number | null;
                                                                } | null;
                                                                intervalAdjusted: {
                                                                    lower: number | null;
                                                                    upper: number | null;
                                                                } | null;
                                                                pValue: number | null;
                                                                pValueAdjusted: number | null;
                                                            } | null;
                                                            reliability?: number | null;
                                                            revenueCount: number;
                                                            sequential?: {
                                                                improvementInterval: {
                                                                    lower: number | null;
                                                                    upper: number | null;
                                                                } | null;
                                                                pValue: number | null;
                                                                tuningN: number | null;
                                                                units: number | null;
                                                            };
                                                            significant?: boolean | null;
                                                            test?: ("WELCH" | "CUPED_Z" | "REGRESSION_Z" | "POST_STRATIFIED_Z" | "POOLED_Z" | "FISHER_EXACT") | (never | null);
                                                            /** @description an expected count below 5: Fisher's exact test at fixed horizon */
                                                            thinData?: boolean;
                                                            /** @description the variance reduction asked for this goal (Vexil extension): when applied, the headline numbers above are the adjusted ones */
                                                            varianceReduction?: {
                                                                adjustedMean: number | null;
                                                                applied: boolean;
                                                                /** @description REGRESSION: the covariates used (a goal or an attribute) and their slopes, pooled over the variations */
                                                                covariates: {
                                                                    attribute: string | null;
                                                                    coefficient: number | null;
                                                                    goalId: number | null;
                                                                }[] | null;
                                                                droppedCovariates: {
                                                                    attribute: string | null;
                                                                    goalId: number | null;
                                                                    reason: string;
                                                                }[] | null;
                                                                /** @description small strata merged into one */
                                                                mergedStrata: string[] | null;
                                                                /** @enum {unknown} */
                                                                method: "REGRESSION" | "POST_STRATIFICATION";
                                                                reason: string | null;
                                                                /** @description POST_STRATIFICATION: the strata and their weights, pooled over the variations */
                                                                strata: {
                                                                    value: string;
                                                                    weight: number;
                                                                }[] | null;
                                                                varianceReduction: number | null;
                                                            };
                                                            warnings?: string[];
                                                        };
                                                    };
                                                    visitCount: number;
                                                    visitorCount: number;
                                                };
                                            };
                                        };
                                        generalData: {
                                            /** @description by goal id */
                                            goalsData: {
                                                [key: string]: {
                                                    absoluteEffect?: {
                                                        estimate: number | null;
                                                        fixedHorizon: {
                                                            interval: {
                                                                lower: number | null;
                                                                upper: number | null;
                                                            } | null;
                                                            pValue: number | null;
                                                        } | null;
                                                        interval: {
                                                            lower: number | null;
                                                            upper: number | null;
                                                        } | null;
                                                        intervalAdjusted: {
                                                            lower: number | null;
                                                            upper: number | null;
                                                        } | null;
                                                        pValue: number | null;
                                                        pValueAdjusted: number | null;
                                                    } | null;
                                                    averageCart: number | null;
                                                    bayesian?: {
                                                        chanceToBeatReference: number | null;
                                                        chanceToBeBest: number | null;
                                                        expectedLoss: number | null;
                                                        improvementCredibleInterval: {
                                                            lower: number | null;
                                                            upper: number | null;
                                                        } | null;
                                                        model: string | null;
                                                    };
                                                    conversionCount: number;
                                                    conversionRate: number | null;
                                                    convertedVisitCount: number;
                                                    cuped?: {
                                                        applied: boolean;
                                                        conversionRate: number | null;
                                                        improvementInterval: {
                                                            lower: number | null;
                                                            upper: number | null;
                                                        } | null;
                                                        improvementRate: number | null;
                                                        pValue: number | null;
                                                        reason: string | null;
                                                        reliability: number | null;
                                                        theta: number | null;
                                                        varianceReduction: number | null;
                                                    };
                                                    fixedHorizon?: {
                                                        improvementInterval: {
                                                            lower: number | null;
                                                            upper: number | null;
                                                        } | null;
                                                        pValue: number | null;
                                                    };
                                                    improvementInterval?: {
                                                        lower: number | null;
                                                        upper: number | null;
                                                    } | null;
                                                    improvementIntervalAdjusted?: {
                                                        lower: number | null;
                                                        upper: number | null;
                                                    } | null;
                                                    improvementRate?: number | null;
                                                    pValue?: number | null;
                                                    pValueAdjusted?: number | null;
                                                    relativeEffect?: {
                                                        estimate: number | null;
                                                        fixedHorizon: {
                                                            interval: {
                                                                lower: number | null;
                                                                upper: number | null;
                                                            } | null;
                                                            pValue: number | null;
                                                        } | null;
                                                        interval: {
                                                            lower: number | null;
                                                            upper: number | null;
                                                        } | null;
                                                        intervalAdjusted: {
                                                            lower: number | null;
                                                            upper: number | null;
                                                        } | null;
                                                        pValue: number | null;
                                                        pValueAdjusted: number | null;
                                                    } | null;
                                                    reliability?: number | null;
                                                    revenueCount: number;
                                                    sequential?: {
                                                        improvementInterval: {
                                                            lower: number | null;
                                                            upper: number | null;
                                                        } | null;
                                                        pValue: number | null;
                                                        tuningN: number | null;
                                                        units: number | null;
                                                    };
                                                    significant?: boolean | null;
                                                    test?: ("WELCH" | "CUPED_Z" | "REGRESSION_Z" | "POST_STRATIFIED_Z" | "POOLED_Z" | "FISHER_EXACT") | (never | null);
                                                    /** @description an expected count below 5: Fisher's exact test at fixed horizon */
                                                    thinData?: boolean;
                                                    /** @description the variance reduction asked for this goal (Vexil extension): when applied, the headline numbers above are the adjusted ones */
                                                    varianceReduction?: {
                                                        adjustedMean: number | null;
                                                        applied: boolean;
                                                        /** @description REGRESSION: the covariates used (a goal or an attribute) and their slopes, pooled over the variations */
                                                        covariates: {
                                                            attribute: string | null;
                                                            coefficient: number | null;
                                                            goalId: number | null;
                                                        }[] | null;
                                                        droppedCovariates: {
                                                            attribute: string | null;
                                                            goalId: number | null;
                                                            reason: string;
                                                        }[] | null;
                                                        /** @description small strata merged into one */
                                                        mergedStrata: string[] | null;
                                                        /** @enum {unknown} */
                                                        method: "REGRESSION" | "POST_STRATIFICATION";
                                                        reason: string | null;
                                                        /** @description POST_STRATIFICATION: the strata and their weights, pooled over the variations */
                                                        strata: {
                                                            value: string;
                                                            weight: number;
                                                        }[] | null;
                                                        varianceReduction: number | null;
                                                    };
                                                    warnings?: string[];
                                                };
                                            };
                                            visitCount: number;
                                            visitorCount: number;
                                        };
                                        reference: boolean;
                                        variationId: number | null;
                                        variationKey: string | null;
                                        variationName: string;
                                    };
                                };
                                warnings: string[];
                            };
                            dataCode: string;
                            error?: string;
                            /** @description 0-100 */
                            progress: number;
                            /** @enum {unknown} */
                            status: "PENDING" | "RUNNING" | "READY" | "FAILED";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sdk/evalx/{envId}/context": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sdk/evalx/{envId}/contexts/{context}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** LaunchDarkly client-side SDK polling: every flag evaluated for a context (base64url JSON in the path) */
        get: {
            parameters: {
                query?: {
                    /** @description Payload filters: not supported (400) */
                    filter?: string;
                    /** @description Secure mode hash: ignored, as secure mode is never on in Vexil */
                    h?: string;
                    /** @description Add each evaluation's reason */
                    withReasons?: boolean;
                };
                header?: never;
                path: {
                    context: string;
                    envId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                flagVersion: number;
                                reason?: {
                                    errorKind?: string;
                                    inExperiment?: boolean;
                                    kind: string;
                                    ruleId?: string;
                                    ruleIndex?: number;
                                };
                                trackEvents: boolean;
                                trackReason: boolean;
                                value: unknown;
                                variation?: number;
                                version: number;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sdk/evalx/{envId}/user": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sdk/evalx/{envId}/users/{context}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** LaunchDarkly client-side SDK polling: every flag evaluated for a user (legacy) (base64url JSON in the path) */
        get: {
            parameters: {
                query?: {
                    /** @description Payload filters: not supported (400) */
                    filter?: string;
                    /** @description Secure mode hash: ignored, as secure mode is never on in Vexil */
                    h?: string;
                    /** @description Add each evaluation's reason */
                    withReasons?: boolean;
                };
                header?: never;
                path: {
                    context: string;
                    envId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                flagVersion: number;
                                reason?: {
                                    errorKind?: string;
                                    inExperiment?: boolean;
                                    kind: string;
                                    ruleId?: string;
                                    ruleIndex?: number;
                                };
                                trackEvents: boolean;
                                trackReason: boolean;
                                value: unknown;
                                variation?: number;
                                version: number;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sdk/goals/{envId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** LaunchDarkly browser SDK click and page-view goals: none (Vexil's goals are custom events) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    envId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: unknown;
                        }[];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sdk/latest-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** LaunchDarkly SDK polling: every flag and segment (server-side SDK key) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            flags: {
                                [key: string]: {
                                    [key: string]: unknown;
                                };
                            };
                            segments: {
                                [key: string]: {
                                    [key: string]: unknown;
                                };
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sdk/latest-flags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** LaunchDarkly SDK polling: every flags */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sdk/latest-flags/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** LaunchDarkly SDK polling: one of the flags */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    key: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sdk/latest-segments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** LaunchDarkly SDK polling: every segments */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sdk/latest-segments/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** LaunchDarkly SDK polling: one of the segments */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    key: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description e.g. invalid_request, not_found */
                            code: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sdk/v1/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The environment's evaluation payload (server-side SDK key) */
        get: {
            parameters: {
                query?: never;
                header?: {
                    "if-none-match"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            environmentKey: string;
                            flags: {
                                [key: string]: unknown;
                            };
                            projectKey: string;
                            segments: {
                                [key: string]: unknown;
                            };
                            /** @description increases with every change */
                            version: number;
                        };
                    };
                };
                /** @description no body */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sdk/v1/evaluate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Every flag evaluated for one visitor (either SDK key; the browser SDK) */
        post: {
            parameters: {
                query?: never;
                header?: {
                    "if-none-match"?: string;
                };
                path?: never;
                cookie?: never;
            };
            /** @description The visitor to evaluate every flag for */
            requestBody: {
                content: {
                    "application/json": {
                        visitor: {
                            /** @description what segment conditions read (country, plan...) */
                            attributes?: {
                                [key: string]: unknown;
                            };
                            /** @description the visitor code (bucketing) */
                            code: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description every flag's answer, by feature key */
                            flags: {
                                [key: string]: {
                                    errorCode?: string;
                                    experimentId?: number;
                                    /** @description an experiment allocated the visitor: report an exposure */
                                    inExperiment: boolean;
                                    /** @description TARGETING_MATCH, SPLIT, DEFAULT, DISABLED or ERROR */
                                    reason: string;
                                    ruleId?: number;
                                    ruleType?: string;
                                    variables: {
                                        [key: string]: unknown;
                                    };
                                    variationKey: string;
                                };
                            };
                            /** @description the configuration version evaluated */
                            version: number;
                        };
                    };
                };
                /** @description no body */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sdk/v1/evaluate/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Server-Sent Events: a put of every flag's answer for one visitor, again on each change */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description The visitor to evaluate every flag for */
            requestBody: {
                content: {
                    "application/json": {
                        visitor: {
                            /** @description what segment conditions read (country, plan...) */
                            attributes?: {
                                [key: string]: unknown;
                            };
                            /** @description the visitor code (bucketing) */
                            code: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Server-Sent Events */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sdk/v1/evaluations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Per-flag evaluation counts (either SDK key) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description Per-flag evaluation counts of one SDK over [from, to] */
            requestBody: {
                content: {
                    "application/json": {
                        counts: {
                            count: number;
                            featureKey: string;
                            variationKey?: string;
                        }[];
                        /** @description epoch ms */
                        from?: number;
                        /** @description epoch ms */
                        to?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description flags whose counts were recorded */
                            accepted: number;
                            /** @description entries naming no flag of the environment */
                            ignored: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sdk/v1/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-Sent Events: put, then patch/delete on each change (server-side SDK key) */
        get: {
            parameters: {
                query?: never;
                header?: {
                    "last-event-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Server-Sent Events */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/segments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    siteCode?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            condition: unknown | (never | null);
                            /** Format: date-time */
                            dateCreated: string;
                            /** Format: date-time */
                            dateModified: string;
                            description: string;
                            excluded: string[];
                            id: number;
                            included: string[];
                            name: string;
                            siteCode: string;
                            tags: string[];
                            version: number;
                        }[];
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description {all:[...]} | {any:[...]} | {not:{...}} | {attribute, operator, values[], negate?}; operators: equals, in, startsWith, endsWith, contains, matches, lt, lte, gt, gte, before, after, semverEq, semverLt, semverLte, semverGt, semverGte, exists, inCidr, inSegment */
                        condition?: unknown;
                        dateCreated?: string;
                        dateModified?: string;
                        description?: string;
                        excluded?: string[];
                        id?: number;
                        included?: string[];
                        name: string;
                        siteCode: string;
                        tags?: string[];
                        version?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            condition: unknown | (never | null);
                            /** Format: date-time */
                            dateCreated: string;
                            /** Format: date-time */
                            dateModified: string;
                            description: string;
                            excluded: string[];
                            id: number;
                            included: string[];
                            name: string;
                            siteCode: string;
                            tags: string[];
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/segments/{segmentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    segmentId: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            condition: unknown | (never | null);
                            /** Format: date-time */
                            dateCreated: string;
                            /** Format: date-time */
                            dateModified: string;
                            description: string;
                            excluded: string[];
                            id: number;
                            included: string[];
                            name: string;
                            siteCode: string;
                            tags: string[];
                            version: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    segmentId: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    segmentId: number;
                };
                cookie?: never;
            };
            /** @description JSON Merge Patch; `condition` is replaced whole */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description {all:[...]} | {any:[...]} | {not:{...}} | {attribute, operator, values[], negate?}; operators: equals, in, startsWith, endsWith, contains, matches, lt, lte, gt, gte, before, after, semverEq, semverLt, semverLte, semverGt, semverGte, exists, inCidr, inSegment */
                        condition?: unknown;
                        dateCreated?: string | null;
                        dateModified?: string | null;
                        description?: string | null;
                        excluded?: string[] | null;
                        id?: number | null;
                        included?: string[] | null;
                        name?: string | null;
                        siteCode?: string | null;
                        tags?: string[] | null;
                        version?: number | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            condition: unknown | (never | null);
                            /** Format: date-time */
                            dateCreated: string;
                            /** Format: date-time */
                            dateModified: string;
                            description: string;
                            excluded: string[];
                            id: number;
                            included: string[];
                            name: string;
                            siteCode: string;
                            tags: string[];
                            version: number;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/segments/{segmentId}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    segmentId: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            flags: {
                                archived: boolean;
                                detail: string;
                                featureKey: string;
                            }[];
                            segments: {
                                id: number;
                                name: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Send it in the x-csrf-token header of every write */
                            csrfToken: string;
                            /** Format: date-time */
                            expiresAt: string;
                            user: {
                                /** Format: date-time */
                                createdAt: string;
                                disabled: boolean;
                                email: string;
                                id: number;
                                /** @description null = every project */
                                projectKey: string | null;
                                role: "reader" | "writer" | "admin";
                                /** Format: date-time */
                                updatedAt: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Send it in the x-csrf-token header of every write */
                            csrfToken: string;
                            /** Format: date-time */
                            expiresAt: string;
                            user: {
                                /** Format: date-time */
                                createdAt: string;
                                disabled: boolean;
                                email: string;
                                id: number;
                                /** @description null = every project */
                                projectKey: string | null;
                                role: "reader" | "writer" | "admin";
                                /** Format: date-time */
                                updatedAt: string;
                            };
                        };
                    };
                };
            };
        };
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the OAuth client_id of this API token */
                            clientId: string;
                            createdAt: string;
                            expiresAt: string | null;
                            id: number;
                            /** @enum {unknown} */
                            kind: "api" | "oauth";
                            name: string;
                            projectKey: string | null;
                            /** @enum {unknown} */
                            role: "reader" | "writer" | "admin";
                        }[];
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        projectKey?: string;
                        role: "reader" | "writer" | "admin";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the OAuth client_id of this API token */
                            clientId: string;
                            createdAt: string;
                            expiresAt: string | null;
                            id: number;
                            /** @enum {unknown} */
                            kind: "api" | "oauth";
                            name: string;
                            projectKey: string | null;
                            /** @enum {unknown} */
                            role: "reader" | "writer" | "admin";
                            /** @description the secret, shown this once */
                            token: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tokens/{tokenId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    tokenId: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description no body */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            email: string;
                            id: number;
                            /** @description null = every project */
                            projectKey: string | null;
                            role: "reader" | "writer" | "admin";
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        password?: string;
                        projectKey?: string | null;
                        role: "reader" | "writer" | "admin";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The generated password, shown once */
                            password?: string;
                            user: {
                                /** Format: date-time */
                                createdAt: string;
                                disabled: boolean;
                                email: string;
                                id: number;
                                /** @description null = every project */
                                projectKey: string | null;
                                role: "reader" | "writer" | "admin";
                                /** Format: date-time */
                                updatedAt: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    userId: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        disabled?: boolean;
                        projectKey?: string | null;
                        role?: "reader" | "writer" | "admin";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            email: string;
                            id: number;
                            /** @description null = every project */
                            projectKey: string | null;
                            role: "reader" | "writer" | "admin";
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/users/{userId}/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    userId: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        password?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the HTTP status, as a string */
                            code: string;
                            message: string;
                            /** @description the HTTP status name, e.g. BAD_REQUEST */
                            name: string;
                            /** @description always ERROR */
                            status: string;
                            /** @description epoch milliseconds */
                            time: number;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            password?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
