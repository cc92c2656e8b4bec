{{/*
Names. The fullname is the release name when it already contains the chart
name (so `helm install sellout charts/sellout -n sellout-system` gives the
ServiceAccount sellout-system/sellout-gateway, the operator's default).
*/}}
{{- define "sellout.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "sellout.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "sellout.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "sellout.operator.fullname" -}}
{{- printf "%s-operator" (include "sellout.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "sellout.gateway.fullname" -}}
{{- printf "%s-gateway" (include "sellout.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels common to every object. */}}
{{- define "sellout.labels" -}}
helm.sh/chart: {{ include "sellout.chart" . }}
app.kubernetes.io/name: {{ include "sellout.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sellout
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of one component: (dict "ctx" $ "component" "gateway") */}}
{{- define "sellout.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sellout.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* All labels of one component. */}}
{{- define "sellout.componentLabels" -}}
{{ include "sellout.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* An image reference: (dict "image" .Values.gateway.image "ctx" $) */}}
{{- define "sellout.image" -}}
{{- $tag := default .ctx.Chart.AppVersion .image.tag -}}
{{- if .image.digest -}}
{{- printf "%s@%s" .image.repository .image.digest -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end }}

{{- define "sellout.operator.serviceAccountName" -}}
{{- default (include "sellout.operator.fullname" .) .Values.operator.serviceAccount.name }}
{{- end }}

{{- define "sellout.gateway.serviceAccountName" -}}
{{- default (include "sellout.gateway.fullname" .) .Values.gateway.serviceAccount.name }}
{{- end }}

{{/*
Pod security context of every pod: the mandatory parts (non-root,
RuntimeDefault seccomp) are fixed here and cannot be switched off from
values; values add user, group and fsGroup.
*/}}
{{- define "sellout.podSecurityContext" -}}
runAsNonRoot: true
seccompProfile:
  type: RuntimeDefault
{{- with .Values.podSecurityContext }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Container security context of every container (fixed). */}}
{{- define "sellout.containerSecurityContext" -}}
runAsNonRoot: true
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
Default soft anti-affinity: spread a component's replicas over nodes.
(dict "ctx" $ "component" "gateway" "affinity" .Values.gateway.affinity)
*/}}
{{- define "sellout.affinity" -}}
{{- if .affinity -}}
{{ toYaml .affinity }}
{{- else -}}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "sellout.selectorLabels" . | nindent 12 }}
{{- end -}}
{{- end }}

{{/* The host of the gateway's public URL, without port. */}}
{{- define "sellout.gateway.publicHost" -}}
{{- $u := urlParse .Values.gateway.publicUrl -}}
{{- regexReplaceAll ":[0-9]+$" (get $u "host") "" -}}
{{- end }}

{{/* The gateway's ServiceAccount as NAMESPACE/NAME, for the operator. */}}
{{- define "sellout.gateway.accountRef" -}}
{{- printf "%s/%s" .Release.Namespace (include "sellout.gateway.serviceAccountName" .) -}}
{{- end }}

{{/* Effective minimum replicas of the gateway. */}}
{{- define "sellout.gateway.minReplicas" -}}
{{- if .Values.gateway.autoscaling.enabled -}}
{{- .Values.gateway.autoscaling.minReplicas -}}
{{- else -}}
{{- .Values.gateway.replicas -}}
{{- end -}}
{{- end }}

{{/* Cross-field checks the schema cannot say clearly. */}}
{{- define "sellout.validate" -}}
{{- if and (gt (int .Values.operator.replicas) 1) (not .Values.operator.leaderElection.enabled) }}
{{- fail "operator.replicas > 1 needs operator.leaderElection.enabled=true (without it every replica would reconcile)" }}
{{- end }}
{{- if and .Values.operator.workerNats.enabled (not .Values.operator.workerNats.account) }}
{{- fail "operator.workerNats.enabled=true needs operator.workerNats.account (the SELLOUT account's public key, A...)" }}
{{- end }}
{{- if and .Values.gateway.smtp.host (not .Values.gateway.smtp.mailFrom) }}
{{- fail "gateway.smtp.host needs gateway.smtp.mailFrom (the From address of login-code mail)" }}
{{- end }}
{{- if and .Values.gateway.sms.apiBase (or (not .Values.gateway.sms.accountSid) (not .Values.gateway.sms.from)) }}
{{- fail "gateway.sms.apiBase needs gateway.sms.accountSid and gateway.sms.from" }}
{{- end }}
{{- if and .Values.gateway.autoscaling.enabled (gt (int .Values.gateway.autoscaling.minReplicas) (int .Values.gateway.autoscaling.maxReplicas)) }}
{{- fail "gateway.autoscaling.minReplicas must not exceed gateway.autoscaling.maxReplicas" }}
{{- end }}
{{- if and .Values.gateway.ingress.enabled (not (include "sellout.gateway.publicHost" .)) }}
{{- fail "gateway.ingress.enabled needs a host in gateway.publicUrl" }}
{{- end }}
{{- end }}

{{/*
TLS to NATS (nats.tls), the same in the operator and the gateway: the
flags, the mount and the volume of the cert-manager style Secret.
*/}}
{{- define "sellout.natsTlsArgs" -}}
- --nats-tls-ca-file=/etc/sellout/nats-tls/ca.crt
{{- if .Values.nats.tls.clientCertificate }}
- --nats-tls-cert-file=/etc/sellout/nats-tls/tls.crt
- --nats-tls-key-file=/etc/sellout/nats-tls/tls.key
{{- end }}
{{- end }}

{{- define "sellout.natsTlsMount" -}}
- name: nats-tls
  mountPath: /etc/sellout/nats-tls
  readOnly: true
{{- end }}

{{- define "sellout.natsTlsVolume" -}}
- name: nats-tls
  secret:
    secretName: {{ .Values.nats.tls.secretName }}
    defaultMode: 0440
{{- end }}

{{/*
Traces (otel.endpoint) and error reports (sentry) of the operator and the
gateway: their environment variables.
*/}}
{{- define "sellout.telemetryEnv" -}}
{{- with .Values.otel.endpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- with .Values.sentry }}
{{- if .enabled }}
- name: SENTRY_DSN
  valueFrom:
    secretKeyRef:
      name: {{ .dsn.secretName }}
      key: {{ .dsn.key }}
{{- with .environment }}
- name: SENTRY_ENVIRONMENT
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
