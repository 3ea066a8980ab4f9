# One image for the worker (the default command) and the codec server
#   command: ["node", "--import", "tsx", "codec/main.ts"]
# and the CLI (`docker compose run --rm worker node --import tsx client/cli.ts status`).
# TypeScript runs through tsx, a runtime dependency: there is no build step, the image runs
# the sources of this repository. Secrets never go into the image: they come at run time
# from the environment or from files (`<NAME>_FILE`, e.g. Docker secrets in /run/secrets).
FROM node:20-slim

ENV NODE_ENV=production \
    LOG_FORMAT=json \
    HEALTH_BIND_ADDRESS=0.0.0.0:8080 \
    METRICS_BIND_ADDRESS=0.0.0.0:9464 \
    CODEC_SERVER_HOST=0.0.0.0 \
    CODEC_SERVER_PORT=8888

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them. Root owns everything
# in /app; the process runs as `node` and can read the code but not change it.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Only what the worker, the codec server and the CLI import (test/deployment.test.ts checks
# this list against their imports). .dockerignore keeps everything else out of the context.
COPY tsconfig.json ./
COPY bin ./bin
COPY config ./config
COPY observability ./observability
COPY codec ./codec
COPY domain ./domain
COPY clients ./clients
COPY activities ./activities
COPY workflows ./workflows
COPY worker ./worker
COPY client ./client

USER node

# 8080: GET /healthz (HEALTH_BIND_ADDRESS); 9464: Prometheus metrics (METRICS_BIND_ADDRESS);
# 8888: the codec server, when the container runs it.
EXPOSE 8080 9464 8888

# The worker stops polling on SIGTERM and lets running activities finish; give the container
# enough time for that (docker-compose.yml: stop_grace_period).
STOPSIGNAL SIGTERM

# The worker's health endpoint. slim has no curl: node asks. The codec server's service
# overrides this (its /healthz is on CODEC_SERVER_PORT).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const a=process.env.HEALTH_BIND_ADDRESS||'0.0.0.0:8080';const i=a.lastIndexOf(':');const h=a.slice(0,i).replace(/^\\[|\\]$/g,'');const host=['','0.0.0.0','::'].includes(h)?'127.0.0.1':h;require('node:http').get({host,port:Number(a.slice(i+1)),path:'/healthz',timeout:4000},(r)=>process.exit(r.statusCode===200?0:1)).on('timeout',()=>process.exit(1)).on('error',()=>process.exit(1));"]

CMD ["node", "--import", "tsx", "worker/main.ts"]
